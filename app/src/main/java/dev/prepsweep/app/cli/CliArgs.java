package dev.prepsweep.app.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed command line: a verb, {@code --name value} options and positional arguments. */
record CliArgs(String verb, Map<String, String> options, List<String> positional) {

  private static final Set<String> FLAGS = Set.of("verbose", "help", "dry-run");

  static CliArgs parse(String[] args, Set<String> knownOptions) {
    if (args.length == 0) {
      throw new UsageException("no command given");
    }
    String verb = args[0];
    Map<String, String> options = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        String name = a.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (!knownOptions.contains(name) && !FLAGS.contains(name)) {
          throw new UsageException("unknown option --" + name);
        }
        if (FLAGS.contains(name)) {
          options.put(name, "true");
          continue;
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException("option --" + name + " needs a value");
          }
          value = args[++i];
        }
        options.put(name, value);
      } else {
        positional.add(a);
      }
    }
    return new CliArgs(verb, Map.copyOf(options), List.copyOf(positional));
  }

  String option(String name, String defaultValue) {
    return options.getOrDefault(name, defaultValue);
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  /** A usage error: the command line itself is wrong (exit code 2). */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
