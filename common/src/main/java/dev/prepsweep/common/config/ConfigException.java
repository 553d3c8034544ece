package dev.prepsweep.common.config;

/**
 * A configuration value broke a rule. The message names where (file:line:column), the key path,
 * the value and the rule, so a user can fix the file without reading code.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  /** A config problem found through another failure (an unreadable file): the cause is kept. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
