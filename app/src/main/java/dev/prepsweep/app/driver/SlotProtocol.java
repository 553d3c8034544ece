package dev.prepsweep.app.driver;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The wire format between the driver and its slot runners. A runner opens the connection and first sends, as
 * plain bytes, a magic number, the sweep's secret (random per sweep, carried only in the runner's Spark closure)
 * and its runner number; the driver checks the secret before it deserialises anything, so a stranger on the port
 * cannot feed it objects. After that both sides exchange {@link SlotMessage}s as Java-serialised objects, and the
 * reading side accepts only this project's, {@code java.lang}, {@code java.util}, {@code java.time} and
 * {@code java.math} classes (what a {@code TrialSpec}'s parameters and a {@code TrialOutcome} hold).
 */
final class SlotProtocol {

  static final int MAGIC = 0x50535352; // "PSSR"
  static final int SECRET_BYTES = 32;
  private static final ObjectInputFilter ONLY_OURS = SlotProtocol::check;

  private SlotProtocol() {}

  /** A new random secret for one sweep's runners. */
  static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /** The runner's side of the handshake. */
  static void greet(OutputStream out, byte[] secret, int runner) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(MAGIC);
    data.write(secret);
    data.writeInt(runner);
    data.flush();
  }

  /**
   * The driver's side: reads a greeting and returns the runner number it names.
   *
   * @throws IOException when the peer does not speak this protocol or does not know the secret
   */
  static int accept(InputStream in, byte[] secret) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != MAGIC) {
      throw new IOException("not a prepsweep slot runner (wrong magic number)");
    }
    byte[] theirs = new byte[SECRET_BYTES];
    data.readFully(theirs);
    if (!MessageDigest.isEqual(theirs, secret)) {
      throw new IOException("a slot runner connected with the wrong secret (not this sweep's runner)");
    }
    return data.readInt();
  }

  /** An object stream that reads only the classes the messages are made of. */
  static ObjectInputStream reader(InputStream in) throws IOException {
    ObjectInputStream objects = new ObjectInputStream(in);
    objects.setObjectInputFilter(ONLY_OURS);
    return objects;
  }

  static ObjectOutputStream writer(OutputStream out) throws IOException {
    ObjectOutputStream objects = new ObjectOutputStream(out);
    objects.flush();
    return objects;
  }

  /** Reads the next message. */
  static SlotMessage read(ObjectInputStream in) throws IOException {
    try {
      Object o = in.readObject();
      if (o instanceof SlotMessage m) {
        return m;
      }
      throw new IOException("unexpected object on a slot runner connection: " + (o == null ? null : o.getClass()));
    } catch (ClassNotFoundException e) {
      throw new IOException("unknown class on a slot runner connection: " + e.getMessage(), e);
    }
  }

  /** Writes one message and forgets the objects written (a long connection must not keep every spec alive). */
  static void write(ObjectOutputStream out, SlotMessage message) throws IOException {
    out.writeObject(message);
    out.reset();
    out.flush();
  }

  static ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
    if (info.depth() > 64 || info.references() > 1_000_000) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (type.isArray()) {
      type = type.getComponentType();
    }
    String name = type.getName();
    return type.isPrimitive() || name.startsWith("dev.prepsweep.") || name.startsWith("java.lang.")
        || name.startsWith("java.util.") || name.startsWith("java.time.") || name.startsWith("java.math.")
        ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
  }
}
