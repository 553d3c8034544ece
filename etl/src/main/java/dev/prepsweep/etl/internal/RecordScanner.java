package dev.prepsweep.etl.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits a byte stream into physical records, so that record boundaries are decided here and not by
 * a parser that may merge a broken record with its neighbour. Pure Java, streaming: memory is bounded
 * by the largest record ({@link Syntax#maxRecordBytes}), never by the file.
 *
 * <p>Rules, for every format:
 * <ul>
 *   <li>CRLF, LF and a lone CR each end a line, in any mix within one file.
 *   <li>A UTF-8 byte order mark at the start of the stream is dropped.
 *   <li>Empty lines are not records (they are skipped, as Spark and pandas skip them).
 *   <li>A record longer than {@code maxRecordBytes} is cut off at the next line end and reported as
 *       {@link Defect#TOO_LARGE} with its first {@link #TOO_LARGE_KEEP} bytes.
 * </ul>
 *
 * <p>Lines mode (JSON lines, text): one record per line.
 *
 * <p>CSV mode (RFC 4180): a field that starts with the quote character is quoted; inside it the
 * delimiter, CR and LF are data, and a doubled quote (or the escape character followed by any byte,
 * when an escape other than the quote is configured) is a literal. A quote inside an unquoted field,
 * or anything but a delimiter or line end after a closing quote, is a {@link Defect#STRAY_QUOTE}:
 * it is kept as data and does not change where the record ends. A record is
 * {@link Defect#COLUMN_COUNT} when its field count differs from the expected one (the header's).
 *
 * <p>A record that continues over a line end inside a quoted field is accepted only when it is
 * otherwise well formed (its quotes close, nothing strays after a closing quote, and it has the
 * expected field count). Otherwise the quote is taken as unterminated: the record ends at the first
 * line end inside that quoted field ({@link Defect#UNTERMINATED_QUOTE}), and scanning starts again on
 * the next line as at the start of a record. So a broken quote costs one line, never the records
 * that follow it, and a quote left open at the end of the file quarantines only its own line. A
 * quote left open on the last line of the file (no line end inside it) is unterminated too.
 */
final class RecordScanner implements Iterator<RecordScanner.Record>, Closeable {
  /** Bytes of a too-large record kept as its source. */
  public static final int TOO_LARGE_KEEP = 4096;

  private static final int CR = '\r';
  private static final int LF = '\n';

  /** Why a record cannot be parsed; null for a well-formed one. */
  public enum Defect { UNTERMINATED_QUOTE, STRAY_QUOTE, COLUMN_COUNT, TOO_LARGE }

  /**
   * How to split records.
   *
   * @param csv CSV mode; false: one record per line
   * @param delimiter the field delimiter (ASCII)
   * @param quote the quote character (ASCII), or -1 for no quoting
   * @param escape the escape character inside quoted fields, or -1 (a doubled quote only)
   * @param maxRecordBytes records longer than this are {@link Defect#TOO_LARGE}
   */
  public record Syntax(boolean csv, int delimiter, int quote, int escape, int maxRecordBytes)
      implements Serializable {
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 << 20;

    public static Syntax lines() {
      return new Syntax(false, -1, -1, -1, DEFAULT_MAX_RECORD_BYTES);
    }

    public static Syntax rfc4180() {
      return new Syntax(true, ',', '"', -1, DEFAULT_MAX_RECORD_BYTES);
    }
  }

  /**
   * One physical record.
   *
   * @param line the 1-based line of the stream where the record starts
   * @param bytes the record's bytes, without its line end
   * @param utf8 whether {@code bytes} are valid UTF-8
   * @param defect why it cannot be parsed, or null
   * @param fields CSV: the field values; null in lines mode, for a defect, or when not UTF-8
   * @param fieldCount CSV: how many fields the record has (also for a column-count defect)
   */
  public record Record(long line, byte[] bytes, boolean utf8, Defect defect, String[] fields, int fieldCount) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private final InputStream in;
  private final Syntax syntax;
  private int expectedFields;
  private final byte[] chunk = new byte[1 << 16];
  private int pos;
  private int lim;
  private boolean eof;
  private byte[] replay = new byte[0];
  private int rpos;
  private long line = 1;
  private Record next;
  private boolean done;
  private boolean started;

  // the record being scanned: raw bytes, field values (unquoted, unescaped) and field ends
  private byte[] rec = new byte[256];
  private int recLen;
  private byte[] val = new byte[256];
  private int valLen;
  private int[] fieldEnds = new int[16];
  private int fields;
  // the line end that ended the record (none at the end of the input), replayed if the record is cut
  private final byte[] term = new byte[2];
  private int termLen;

  /**
   * @param in the stream (closed by {@link #close()})
   * @param syntax how to split it
   * @param expectedFields CSV: the field count each record must have; 0: not checked (until
   *     {@link #expectFields(int)}, e.g. after the header)
   */
  public RecordScanner(InputStream in, Syntax syntax, int expectedFields) {
    this.in = in;
    this.syntax = syntax;
    this.expectedFields = expectedFields;
  }

  /** Sets the field count later records must have (after reading the header). */
  public void expectFields(int count) {
    this.expectedFields = count;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = scan();
      done = next == null;
    }
    return next != null;
  }

  @Override
  public Record next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Record r = next;
    next = null;
    return r;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  // ---- byte source: replayed bytes first, then the stream

  private int read() {
    if (rpos < replay.length) {
      return replay[rpos++] & 0xff;
    }
    if (pos < lim) {
      return chunk[pos++] & 0xff;
    }
    return fill() ? chunk[pos++] & 0xff : -1;
  }

  private int peek() {
    if (rpos < replay.length) {
      return replay[rpos] & 0xff;
    }
    if (pos < lim) {
      return chunk[pos] & 0xff;
    }
    return fill() ? chunk[pos] & 0xff : -1;
  }

  private boolean fill() {
    if (eof) {
      return false;
    }
    try {
      int n;
      do {
        n = in.read(chunk, 0, chunk.length);
      } while (n == 0);
      if (n < 0) {
        eof = true;
        return false;
      }
      pos = 0;
      lim = n;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Scans {@code rec[from..recLen)} and the record's line end again before the rest of the input. */
  private void replayTail(int from) {
    byte[] rest = Arrays.copyOfRange(replay, rpos, replay.length);
    int n = recLen - from;
    byte[] r = new byte[n + termLen + rest.length];
    System.arraycopy(rec, from, r, 0, n);
    System.arraycopy(term, 0, r, n, termLen);
    System.arraycopy(rest, 0, r, n + termLen, rest.length);
    replay = r;
    rpos = 0;
  }

  private void skipBom() {
    int[] head = new int[3];
    int n = 0;
    while (n < 3) {
      int b = read();
      if (b < 0) {
        break;
      }
      head[n++] = b;
    }
    if (n == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
      return;
    }
    byte[] back = new byte[n];
    for (int i = 0; i < n; i++) {
      back[i] = (byte) head[i];
    }
    byte[] rest = Arrays.copyOfRange(replay, rpos, replay.length);
    replay = new byte[n + rest.length];
    System.arraycopy(back, 0, replay, 0, n);
    System.arraycopy(rest, 0, replay, n, rest.length);
    rpos = 0;
  }

  private void add(int b) {
    if (recLen == rec.length) {
      rec = Arrays.copyOf(rec, rec.length * 2);
    }
    rec[recLen++] = (byte) b;
  }

  private void addVal(int b) {
    if (valLen == val.length) {
      val = Arrays.copyOf(val, val.length * 2);
    }
    val[valLen++] = (byte) b;
  }

  private void endField() {
    if (fields == fieldEnds.length) {
      fieldEnds = Arrays.copyOf(fieldEnds, fields * 2);
    }
    fieldEnds[fields++] = valLen;
  }

  /** After a CR, a following LF belongs to the same line end. Remembers the line end's bytes. */
  private void lineEnd(int b) {
    term[0] = (byte) b;
    termLen = 1;
    if (b == CR && peek() == LF) {
      term[1] = (byte) read();
      termLen = 2;
    }
    line++;
  }

  private Record scan() {
    if (!started) {
      started = true;
      skipBom();
    }
    return syntax.csv() ? scanCsv() : scanLine();
  }

  private Record scanLine() {
    while (true) {
      long start = line;
      recLen = 0;
      int b;
      while ((b = read()) >= 0 && b != CR && b != LF) {
        add(b);
        if (recLen > syntax.maxRecordBytes()) {
          return tooLarge(start);
        }
      }
      if (b < 0 && recLen == 0) {
        return null;
      }
      if (b >= 0) {
        lineEnd(b);
      }
      if (recLen > 0) {
        return record(start, null);
      }
    }
  }

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_SEEN = 3;

  private Record scanCsv() {
    final int delim = syntax.delimiter();
    final int quote = syntax.quote();
    final int escape = syntax.escape();
    outer:
    while (true) {
      long start = line;
      recLen = 0;
      valLen = 0;
      fields = 0;
      termLen = 0;
      int firstBreak = -1; // offset in rec of the first line end inside a quoted field
      Defect defect = null;
      int state = FIELD_START;
      while (true) {
        if (recLen > syntax.maxRecordBytes()) {
          if (firstBreak >= 0) {
            return cut(start, firstBreak);
          }
          return tooLarge(start);
        }
        int b = read();
        switch (state) {
          case FIELD_START -> {
            if (b < 0) {
              if (recLen == 0) {
                return null;
              }
              endField();
              break;
            }
            if (b == CR || b == LF) {
              lineEnd(b);
              if (recLen == 0) {
                continue outer; // an empty line is not a record
              }
              endField();
              break;
            }
            add(b);
            if (b == quote) {
              state = QUOTED;
            } else if (b == delim) {
              endField();
            } else {
              addVal(b);
              state = UNQUOTED;
            }
            continue;
          }
          case UNQUOTED -> {
            if (b < 0) {
              endField();
              break;
            }
            if (b == CR || b == LF) {
              lineEnd(b);
              endField();
              break;
            }
            add(b);
            if (b == delim) {
              endField();
              state = FIELD_START;
            } else {
              if (b == quote && defect == null) {
                defect = Defect.STRAY_QUOTE;
              }
              addVal(b);
            }
            continue;
          }
          case QUOTED -> {
            if (b < 0) {
              if (firstBreak >= 0) {
                return cut(start, firstBreak);
              }
              endField();
              defect = Defect.UNTERMINATED_QUOTE;
              break;
            }
            if (b == escape && escape != quote) {
              add(b);
              b = read();
              if (b < 0) {
                if (firstBreak >= 0) {
                  return cut(start, firstBreak);
                }
                endField();
                defect = Defect.UNTERMINATED_QUOTE;
                break;
              }
              // the escaped byte is data (an escaped line end still ends a line)
            } else if (b == quote) {
              add(b);
              state = QUOTE_SEEN;
              continue;
            }
            if (b == CR || b == LF) {
              if (firstBreak < 0) {
                firstBreak = recLen;
              }
              add(b);
              addVal(b);
              if (b == CR && peek() == LF) {
                add(read());
                addVal(LF);
              }
              line++;
              continue;
            }
            add(b);
            addVal(b);
            continue;
          }
          default -> { // QUOTE_SEEN: the quote closes the field, unless doubled
            if (b < 0) {
              endField();
              break;
            }
            if (b == quote) {
              add(b);
              addVal(b);
              state = QUOTED;
              continue;
            }
            if (b == CR || b == LF) {
              lineEnd(b);
              endField();
              break;
            }
            add(b);
            if (b == delim) {
              endField();
              state = FIELD_START;
              continue;
            }
            if (firstBreak >= 0) {
              return cut(start, firstBreak);
            }
            if (defect == null) {
              defect = Defect.STRAY_QUOTE;
            }
            addVal(b);
            state = UNQUOTED;
            continue;
          }
        }
        break; // the record ended
      }
      if (defect == null && expectedFields > 0 && fields != expectedFields) {
        defect = Defect.COLUMN_COUNT;
      }
      if (defect != null && firstBreak >= 0) {
        return cut(start, firstBreak);
      }
      return record(start, defect);
    }
  }

  /**
   * The record that started on line {@code start} is broken and spans lines through a quoted field:
   * it ends at that field's first line end; what follows is scanned again as new records.
   */
  private Record cut(long start, int firstBreak) {
    int from = firstBreak + (rec[firstBreak] == CR && firstBreak + 1 < recLen && rec[firstBreak + 1] == LF ? 2 : 1);
    replayTail(from);
    recLen = firstBreak;
    line = start + 1;
    fields = 0;
    return record(start, Defect.UNTERMINATED_QUOTE);
  }

  /** Skips to the end of the line and reports the record's first bytes. */
  private Record tooLarge(long start) {
    int b;
    while ((b = read()) >= 0 && b != CR && b != LF) {
      // discard
    }
    if (b >= 0) {
      lineEnd(b);
    }
    byte[] head = Arrays.copyOf(rec, Math.min(recLen, TOO_LARGE_KEEP));
    // the kept head may end inside a multi-byte character: judge the bytes it has
    return new Record(start, head, Utf8.isValid(head, 0, Utf8.completePrefix(head)), Defect.TOO_LARGE, null, 0);
  }

  private Record record(long start, Defect defect) {
    byte[] bytes = Arrays.copyOf(rec, recLen);
    boolean utf8 = Utf8.isValid(bytes, 0, bytes.length);
    String[] values = null;
    if (syntax.csv() && defect == null && utf8) {
      values = new String[fields];
      int from = 0;
      for (int i = 0; i < fields; i++) {
        values[i] = new String(val, from, fieldEnds[i] - from, StandardCharsets.UTF_8);
        from = fieldEnds[i];
      }
    }
    return new Record(start, bytes, utf8, defect, values, syntax.csv() ? fields : 0);
  }
}
