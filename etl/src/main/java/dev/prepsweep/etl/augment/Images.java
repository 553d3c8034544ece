package dev.prepsweep.etl.augment;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Pure image helpers on 8-bit grayscale images: decode, encode PNG, pixels, transforms. */
public final class Images {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Images() {}

  /** The decoded image as 8-bit grayscale, or null if the bytes are not a readable image. */
  public static BufferedImage decodeGray(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
        return null;
      }
      return toGray(img);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static BufferedImage toGray(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return img;
    }
    BufferedImage g = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D gr = g.createGraphics();
    gr.drawImage(img, 0, 0, null);
    gr.dispose();
    return g;
  }

  /** An 8-bit grayscale image from row-major pixel bytes. */
  public static BufferedImage fromGray(byte[] pixels, int width, int height) {
    BufferedImage g = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setDataElements(0, 0, width, height, pixels);
    return g;
  }

  public static byte[] png(BufferedImage img) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Row-major grayscale values scaled to [0, 1]. */
  public static double[] pixels(BufferedImage gray) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    int[] raw = gray.getRaster().getPixels(0, 0, w, h, (int[]) null);
    double[] out = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = raw[i] / 255.0;
    }
    return out;
  }

  public static BufferedImage flipHorizontal(BufferedImage img) {
    AffineTransform t = AffineTransform.getScaleInstance(-1, 1);
    t.translate(-img.getWidth(), 0);
    return transform(img, t, img.getWidth(), img.getHeight());
  }

  /** Rotation by quarter turns (1 = 90 degrees clockwise). */
  public static BufferedImage rotate90(BufferedImage img, int quarters) {
    int q = Math.floorMod(quarters, 4);
    int w = img.getWidth();
    int h = img.getHeight();
    int nw = q % 2 == 0 ? w : h;
    int nh = q % 2 == 0 ? h : w;
    AffineTransform t = new AffineTransform();
    t.translate(nw / 2.0, nh / 2.0);
    t.quadrantRotate(q);
    t.translate(-w / 2.0, -h / 2.0);
    return transform(img, t, nw, nh);
  }

  /** Rotation by a small angle about the centre, same size, black fill. */
  public static BufferedImage rotate(BufferedImage img, double degrees) {
    AffineTransform t = AffineTransform.getRotateInstance(Math.toRadians(degrees), img.getWidth() / 2.0, img.getHeight() / 2.0);
    return transform(img, t, img.getWidth(), img.getHeight());
  }

  /** A crop of {@code fraction} of each side at (x, y), scaled back to the original size. */
  public static BufferedImage crop(BufferedImage img, double fraction, double fx, double fy) {
    int w = img.getWidth();
    int h = img.getHeight();
    int cw = Math.max(1, (int) Math.round(w * fraction));
    int ch = Math.max(1, (int) Math.round(h * fraction));
    int x = (int) Math.floor(fx * (w - cw + 1));
    int y = (int) Math.floor(fy * (h - ch + 1));
    BufferedImage sub = img.getSubimage(Math.min(x, w - cw), Math.min(y, h - ch), cw, ch);
    AffineTransform t = AffineTransform.getScaleInstance((double) w / cw, (double) h / ch);
    return transform(sub, t, w, h);
  }

  /** Multiplies every pixel by {@code factor}, clamped to [0, 255]. */
  public static BufferedImage brightness(BufferedImage img, double factor) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] px = img.getRaster().getPixels(0, 0, w, h, (int[]) null);
    for (int i = 0; i < px.length; i++) {
      px[i] = (int) Math.max(0, Math.min(255, Math.round(px[i] * factor)));
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    out.getRaster().setPixels(0, 0, w, h, px);
    return out;
  }

  private static BufferedImage transform(BufferedImage img, AffineTransform t, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, t, null);
    g.dispose();
    return out;
  }
}
