package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.trainer.Trainer;
import dev.prepsweep.training.TrainerPlugins;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plug-in trainer of a job ({@code train: {model: {class: NAME}}}), checked on the driver before
 * Spark starts: the class is found on the class path or in the jars the job ships ({@code --jars},
 * {@code spark.jars}), implements {@link Trainer}, can be constructed, and reads every parameter the
 * config sets or sweeps. Each failure is a {@link ConfigException} at the {@code class} key (exit 2).
 */
public final class TrainerCheck {

  private TrainerCheck() {}

  /** Whether the {@code train:} section names a plug-in ({@code model: {class: ...}}). */
  static boolean isPlugin(ConfigNode train) {
    return train.get("model").map(ConfigNode::isMap).orElse(false);
  }

  static boolean isPlugin(Map<String, Object> train) {
    return TrainerPlugins.isPlugin(train);
  }

  /** One {@code train:} entry of a plug-in job; {@code model: {class: NAME}} becomes the class parameter. */
  static void putParam(Map<String, Object> train, String key, ConfigNode value) {
    if (key.equals("model")) {
      value.allowOnly(List.of("class"));
      String name = value.required("class").asString().trim();
      if (!name.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
        throw value.required("class").invalid("'" + name + "' is not a Java class name (e.g. com.example.MyTrainer)");
      }
      train.put(TrainerPlugins.CLASS_PARAM, name);
    } else if (key.equals(TrainerPlugins.CLASS_PARAM)) {
      throw value.invalid("'" + key + "' is set through 'model: {class: ...}'");
    } else if (key.equals("task")) {
      throw value.invalid("task is set at the top level of the job file (it applies to prep and trials)");
    } else {
      train.put(key, value.asValue());
    }
  }

  /**
   * Checks the job's plug-in trainer, if it has one, with the jars the job ships.
   *
   * @param jars {@code --jars} and {@code spark.jars} entries (comma-separated lists allowed); local
   *     paths and {@code file:} URIs are searched, other schemes are left to the executors
   * @throws ConfigException naming the file position, the class and the rule
   */
  public static void check(JobConfig config, List<String> jars) {
    if (!TrainerPlugins.isPlugin(config.train())) {
      return;
    }
    String name = config.train().get(TrainerPlugins.CLASS_PARAM).toString();
    ConfigNode classNode = ConfigNode.parse(config.text(), config.source()).required("train").required("model")
        .required("class");
    List<URL> urls = new ArrayList<>();
    for (String jar : split(jars)) {
      URL url = localUrl(jar);
      if (url != null) {
        if (!new File(URI.create(url.toString())).isFile()) {
          throw classNode.invalid("jar '" + jar + "' (given to ship trainer class '" + name + "') does not exist");
        }
        urls.add(url);
      }
    }
    String where = urls.isEmpty() ? "no jar (ship one with --jars)" : "the jars " + split(jars);
    Set<String> params = new LinkedHashSet<>(config.train().keySet());
    config.sweep().ifPresent(s -> s.space().allParameters().stream().map(Parameter::name).forEach(params::add));
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), TrainerCheck.class.getClassLoader())) {
      Trainer trainer = TrainerPlugins.instantiate(name, loader, where);
      TrainerPlugins.check(name, trainer, params);
    } catch (IllegalArgumentException e) {
      throw classNode.invalid(e.getMessage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> split(List<String> jars) {
    List<String> out = new ArrayList<>();
    for (String list : jars) {
      for (String j : list.split(",")) {
        if (!j.isBlank()) {
          out.add(j.trim());
        }
      }
    }
    return out;
  }

  /** A local jar's URL, or null for a remote one (hdfs:, s3a:, ...), which only executors fetch. */
  private static URL localUrl(String jar) {
    try {
      if (jar.startsWith("file:")) {
        return URI.create(jar).toURL();
      }
      if (jar.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
        return null;
      }
      return new File(jar).getAbsoluteFile().toURI().toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      return null;
    }
  }
}
