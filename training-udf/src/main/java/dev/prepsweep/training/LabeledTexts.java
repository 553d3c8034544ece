package dev.prepsweep.training;

/** The rows a text classifier trains on: text and label index, row-aligned. */
public record LabeledTexts(String[] texts, int[] labels) {
  public LabeledTexts {
    if (texts.length != labels.length) {
      throw new IllegalArgumentException(texts.length + " texts but " + labels.length + " labels");
    }
  }

  public int size() {
    return labels.length;
  }
}
