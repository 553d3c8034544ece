package dev.prepsweep.training;

import dev.prepsweep.trainer.MetricsReporter;
import dev.prepsweep.trainer.Rows;
import dev.prepsweep.trainer.Trainer;
import dev.prepsweep.trainer.TrainerContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds and checks a user's {@link Trainer} class, the same way on the driver (before any trial, with
 * the jars of {@code --jars}/{@code spark.jars}) and in a task (with the executor's class loader, which
 * holds those jars). Every rule's message is built here and names the class and the rule.
 */
public final class TrainerPlugins {

  /** The trial parameter carrying the class name ({@code train: {model: {class: NAME}}} in the config). */
  public static final String CLASS_PARAM = "trainer_class";

  /**
   * prepsweep's own parameters that apply to a plug-in trial besides the trainer's {@link Trainer#parameters()}
   * ({@code task} is set from the job's top-level {@code task:} for regression, never by the user in {@code train:}).
   */
  public static final Set<String> OWN_PARAMS = Set.of(CLASS_PARAM, "epochs", "task");

  private TrainerPlugins() {}

  /** Whether the trial's parameters name a plug-in trainer. */
  public static boolean isPlugin(Map<String, Object> params) {
    return params.get(CLASS_PARAM) != null;
  }

  /** The trial's task: the parameter {@code task} (absent: classification), as the plug-in sees it. */
  static TrainerContext.Task task(Map<String, Object> params) {
    return RegressionParams.from(Map.of("task", params.getOrDefault("task", "classification"))).regression()
        ? TrainerContext.Task.REGRESSION : TrainerContext.Task.CLASSIFICATION;
  }

  /**
   * Checks one reported metric name against the trial's task.
   *
   * @throws IllegalArgumentException for a name prepsweep does not record, or one of the other task
   */
  static void checkMetric(String name, TrainerContext.Task task) {
    if (!MetricsReporter.KNOWN.contains(name)) {
      throw new IllegalArgumentException("metric '" + name + "' is not one prepsweep records; known: "
          + MetricsReporter.KNOWN);
    }
    List<String> ofTask = task == TrainerContext.Task.REGRESSION ? MetricsReporter.REGRESSION
        : MetricsReporter.CLASSIFICATION;
    if (!ofTask.contains(name)) {
      throw new IllegalArgumentException("metric '" + name + "' is not one of task: " + task.name().toLowerCase(
          java.util.Locale.ROOT) + "; context.task() is " + task + ", whose metrics are " + ofTask);
    }
  }

  /**
   * A new instance of {@code className} from {@code loader}.
   *
   * @param where the jars searched besides the class path, for the message (e.g. "--jars a.jar")
   * @throws IllegalArgumentException when the class is missing, does not implement {@link Trainer},
   *     is abstract, or has no public no-argument constructor (or that constructor throws)
   */
  public static Trainer instantiate(String className, ClassLoader loader, String where) {
    Class<?> c;
    try {
      c = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new IllegalArgumentException("trainer class '" + className + "' was not found on the class path or in "
          + where + "; a plug-in trainer's jar must be shipped with --jars (or spark.jars)", e);
    }
    if (!Trainer.class.isAssignableFrom(c)) {
      throw new IllegalArgumentException("trainer class '" + className + "' does not implement "
          + Trainer.class.getName() + "; a plug-in trainer must implement that interface (module prepsweep-trainer-api)");
    }
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || !Modifier.isPublic(c.getModifiers())) {
      throw new IllegalArgumentException("trainer class '" + className
          + "' is not a public concrete class; a plug-in trainer must be instantiable");
    }
    try {
      Constructor<?> ctor = c.getConstructor();
      return (Trainer) ctor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("trainer class '" + className
          + "' has no public no-argument constructor; a plug-in trainer needs one", e);
    } catch (InvocationTargetException | InstantiationException | IllegalAccessException | LinkageError e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      throw new IllegalArgumentException("trainer class '" + className + "' could not be constructed: " + cause, cause);
    }
  }

  /**
   * Checks what the trainer declares: its columns are known ones, and every parameter the trial
   * would pass is prepsweep's own or one the trainer reads.
   *
   * @throws IllegalArgumentException naming the class, the name and the rule
   */
  public static void check(String className, Trainer trainer, Set<String> paramNames) {
    List<String> columns = trainer.columns();
    if (columns == null) {
      throw new IllegalArgumentException("trainer class '" + className + "' returns no columns(); list the columns"
          + " it reads from " + Rows.KNOWN_COLUMNS);
    }
    for (String col : columns) {
      if (!Rows.KNOWN_COLUMNS.contains(col)) {
        throw new IllegalArgumentException("trainer class '" + className + "' asks for column '" + col
            + "'; columns a trainer can read are " + Rows.KNOWN_COLUMNS);
      }
    }
    Set<String> known = new TreeSet<>(OWN_PARAMS);
    known.addAll(trainer.parameters());
    for (String p : paramNames) {
      if (!known.contains(p)) {
        throw new IllegalArgumentException("parameter '" + p + "' is not read by trainer class '" + className
            + "'; it reads " + known + " (declare more in its parameters())");
      }
    }
  }
}
