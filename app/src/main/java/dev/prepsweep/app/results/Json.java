package dev.prepsweep.app.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** Parameter maps as compact JSON with sorted keys (stable across runs). */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String of(Map<String, Object> params) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(params));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("parameters are not JSON-serialisable: " + params, e);
    }
  }
}
