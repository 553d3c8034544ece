package dev.prepsweep.etl.augment;

import static org.apache.spark.sql.functions.udf;

import dev.prepsweep.etl.PrepConfig;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Image augmentation: each copy applies one enabled operation (horizontal flip, 90-degree rotation,
 * small-angle rotation, random crop, brightness jitter), chosen in turn from a per-row offset, with
 * parameters from a generator seeded by (seed, row id, copy). Pure apart from {@link #udf}.
 */
public final class ImageAugment implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> ops;
  private final PrepConfig.ImageAugment config;
  private final long seed;

  public ImageAugment(PrepConfig.ImageAugment config, long seed) {
    this.config = config;
    this.seed = seed;
    List<String> on = new ArrayList<>();
    if (config.flip()) {
      on.add("flip");
    }
    if (config.rotate90()) {
      on.add("rotate90");
    }
    if (config.rotateDegrees() > 0) {
      on.add("rotate");
    }
    if (config.crop() > 0) {
      on.add("crop");
    }
    if (config.brightness() > 0) {
      on.add("brightness");
    }
    if (on.isEmpty()) {
      on.add("flip");
    }
    this.ops = List.copyOf(on);
  }

  /** The augmented image and the operation, or null if the image cannot be decoded. */
  public Object[] augment(String id, byte[] image, int copy) {
    BufferedImage img = Images.decodeGray(image);
    if (img == null) {
      return null;
    }
    SplittableRandom rnd = TextEda.random(seed, id, copy);
    int offset = TextEda.random(seed, id, 0).nextInt(ops.size());
    String op = ops.get((offset + copy - 1) % ops.size());
    BufferedImage out = switch (op) {
      case "flip" -> Images.flipHorizontal(img);
      case "rotate90" -> Images.rotate90(img, 1 + rnd.nextInt(3));
      case "rotate" -> Images.rotate(img, (rnd.nextDouble() * 2 - 1) * config.rotateDegrees());
      case "crop" -> Images.crop(img, config.crop(), rnd.nextDouble(), rnd.nextDouble());
      default -> Images.brightness(img, 1 + (rnd.nextDouble() * 2 - 1) * config.brightness());
    };
    return new Object[] {Images.png(out), op};
  }

  public static UserDefinedFunction udf(PrepConfig.ImageAugment config, long seed) {
    ImageAugment aug = new ImageAugment(config, seed);
    StructType type = new StructType().add("value", DataTypes.BinaryType).add("op", DataTypes.StringType);
    return org.apache.spark.sql.functions.udf((UDF3<String, byte[], Integer, org.apache.spark.sql.Row>) (id, bytes, copy) -> {
      Object[] r = aug.augment(id, bytes, copy);
      return r == null ? null : RowFactory.create(r[0], "image:" + r[1]);
    }, type);
  }
}
