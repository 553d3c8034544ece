package dev.prepsweep.common.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A read-only view of one node of a YAML document that remembers its key path and file position.
 * Config records are built from these: every typed getter fails with a {@link ConfigException}
 * naming the file position, the key path, the value and the rule, and {@link #allowOnly} turns
 * unknown keys (usually typos) into errors instead of silently ignoring them.
 */
public final class ConfigNode {

  private final Node node;
  private final String path;
  private final String source;

  private ConfigNode(Node node, String path, String source) {
    this.node = node;
    this.path = path;
    this.source = source;
  }

  /** Parses a YAML file; an empty file is an empty mapping. */
  public static ConfigNode parse(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage()
          + "; check the path given with --config (default conf/prepsweep.yaml, relative to the working directory)", e);
    }
  }

  /** Parses YAML text; {@code sourceName} is what error messages call the document. */
  public static ConfigNode parse(String yaml, String sourceName) {
    return parse(new StringReader(yaml), sourceName);
  }

  private static ConfigNode parse(Reader reader, String sourceName) {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
    } catch (MarkedYAMLException e) {
      throw new ConfigException(sourceName + position(e.getProblemMark()) + ": not valid YAML: " + e.getProblem()
          + "; fix the syntax at that line and column (indentation, a missing ':' or an unclosed quote or bracket)", e);
    }
    if (root == null) {
      root = new MappingNode(Tag.MAP, List.of(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    }
    return new ConfigNode(root, "", sourceName);
  }

  /** The dotted key path of this node, e.g. {@code sweep.parameters.lr.min}; empty for the root. */
  public String path() {
    return path;
  }

  /** {@code file:line:column} of this node (1-based), or just the file name when unknown. */
  public String position() {
    return source + position(node.getStartMark());
  }

  private static String position(Mark mark) {
    return mark == null ? "" : ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  public boolean isMap() {
    return node instanceof MappingNode;
  }

  public boolean isList() {
    return node instanceof SequenceNode;
  }

  public boolean isScalar() {
    return node instanceof ScalarNode;
  }

  /** Whether this is the YAML null ({@code ~}, {@code null} or nothing). */
  public boolean isNull() {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  /** The keys of a mapping, in file order. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (NodeTuple t : mapping().getValue()) {
      keys.add(keyOf(t));
    }
    return keys;
  }

  /** The child under {@code key}, if present. */
  public Optional<ConfigNode> get(String key) {
    for (NodeTuple t : mapping().getValue()) {
      if (keyOf(t).equals(key)) {
        return Optional.of(new ConfigNode(t.getValueNode(), childPath(key), source));
      }
    }
    return Optional.empty();
  }

  public boolean has(String key) {
    return get(key).isPresent();
  }

  /** The child under {@code key}; fails naming the missing key. */
  public ConfigNode required(String key) {
    return get(key).orElseThrow(() -> new ConfigException(
        position() + ": " + describe(childPath(key)) + " is required but missing"));
  }

  /** The entries of a mapping as child nodes, in file order. */
  public Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    for (NodeTuple t : mapping().getValue()) {
      String k = keyOf(t);
      out.put(k, new ConfigNode(t.getValueNode(), childPath(k), source));
    }
    return out;
  }

  /** The elements of a sequence. */
  public List<ConfigNode> asList() {
    if (!(node instanceof SequenceNode seq)) {
      throw fail(describe(path) + " must be a list");
    }
    List<ConfigNode> out = new ArrayList<>();
    List<Node> items = seq.getValue();
    for (int i = 0; i < items.size(); i++) {
      out.add(new ConfigNode(items.get(i), path + "[" + i + "]", source));
    }
    return out;
  }

  /**
   * Fails on the first key not in {@code allowed}, naming it, its position and the allowed keys.
   */
  public ConfigNode allowOnly(Collection<String> allowed) {
    for (NodeTuple t : mapping().getValue()) {
      String k = keyOf(t);
      if (!allowed.contains(k)) {
        throw new ConfigException(source + position(t.getKeyNode().getStartMark()) + ": unknown key '"
            + childPath(k) + "'; allowed here: " + new TreeSet<>(allowed));
      }
    }
    return this;
  }

  /** The scalar as text (numbers and booleans as written). */
  public String asString() {
    return scalar().getValue();
  }

  /** The scalar typed by YAML's core schema: Long, Double, Boolean or String; null for YAML null. */
  public Object asValue() {
    ScalarNode s = scalar();
    Tag tag = s.getTag();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.INT.equals(tag)) {
      return asLong();
    }
    if (Tag.FLOAT.equals(tag)) {
      return asDouble();
    }
    if (Tag.BOOL.equals(tag)) {
      return asBoolean();
    }
    return s.getValue();
  }

  public long asLong() {
    String text = scalar().getValue().replace("_", "");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw fail(describe(path) + " = '" + text + "' must be an integer");
    }
  }

  public int asInt() {
    long v = asLong();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw fail(describe(path) + " = " + v + " is out of the integer range");
    }
    return (int) v;
  }

  public double asDouble() {
    String text = scalar().getValue().replace("_", "");
    try {
      double v = Double.parseDouble(text);
      if (!Double.isFinite(v)) {
        throw fail(describe(path) + " = '" + text + "' must be a finite number");
      }
      return v;
    } catch (NumberFormatException e) {
      throw fail(describe(path) + " = '" + text + "' must be a number");
    }
  }

  public boolean asBoolean() {
    String text = scalar().getValue().toLowerCase(java.util.Locale.ROOT);
    return switch (text) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw fail(describe(path) + " = '" + text + "' must be true or false");
    };
  }

  // Convenience getters with defaults: the default applies only when the key is absent.

  public String getString(String key, String defaultValue) {
    return get(key).map(ConfigNode::asString).orElse(defaultValue);
  }

  public long getLong(String key, long defaultValue) {
    return get(key).map(ConfigNode::asLong).orElse(defaultValue);
  }

  public int getInt(String key, int defaultValue) {
    return get(key).map(ConfigNode::asInt).orElse(defaultValue);
  }

  public double getDouble(String key, double defaultValue) {
    return get(key).map(ConfigNode::asDouble).orElse(defaultValue);
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    return get(key).map(ConfigNode::asBoolean).orElse(defaultValue);
  }

  /** One of {@code allowed} (compared case-insensitively, returned as listed in {@code allowed}). */
  public String asEnum(Collection<String> allowed) {
    String v = asString();
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw fail(describe(path) + " = '" + v + "' must be one of " + allowed);
  }

  /**
   * The constant of {@code type} whose {@code toString()} (its name in config files) matches this
   * scalar case-insensitively; fails listing every constant's config name.
   */
  public <E extends Enum<E>> E asEnum(Class<E> type) {
    E[] constants = type.getEnumConstants();
    List<String> names = new ArrayList<>();
    for (E e : constants) {
      names.add(e.toString());
    }
    String name = asEnum(names);
    return constants[names.indexOf(name)];
  }

  /**
   * A {@link ConfigException} for this node: "{@code file:line:col: key 'a.b' = value: rule}".
   * Record builders use it for cross-field rules (e.g. min must be below max).
   */
  public ConfigException invalid(String rule) {
    String shown = node instanceof ScalarNode s ? " = " + s.getValue() : "";
    return fail(describe(path) + shown + ": " + rule);
  }

  private ConfigException fail(String message) {
    return new ConfigException(position() + ": " + message);
  }

  private MappingNode mapping() {
    if (!(node instanceof MappingNode m)) {
      throw fail(describe(path) + " must be a mapping of keys to values");
    }
    return m;
  }

  private ScalarNode scalar() {
    if (!(node instanceof ScalarNode s)) {
      throw fail(describe(path) + " must be a single value, not a " + (isList() ? "list" : "mapping"));
    }
    return s;
  }

  private String keyOf(NodeTuple t) {
    if (!(t.getKeyNode() instanceof ScalarNode k)) {
      throw new ConfigException(source + position(t.getKeyNode().getStartMark()) + ": keys must be plain names");
    }
    return k.getValue();
  }

  private String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describe(String path) {
    return path.isEmpty() ? "the document" : "key '" + path + "'";
  }

  @Override
  public String toString() {
    return position() + " " + path;
  }
}
