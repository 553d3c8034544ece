package dev.prepsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Adam, AdamW and SGD with momentum over the engine's fused update kernels, with state this class
 * owns so a checkpoint can save and restore it (DJL's optimizers keep theirs private). Gradient
 * clipping is by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} (DJL's clip is per element).
 * Adam's weight decay is L2 added to the gradient ({@code torch.optim.Adam}); AdamW's is decoupled.
 */
final class Optim {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final TrainingParams p;
  private final List<Parameter> params;
  private final NDArray[] first;
  private final NDArray[] second;
  private final NDArray[] grads;
  private final float[] lrScale;
  private long steps;

  Optim(TrainingParams p, List<Parameter> params) {
    this(p, params, null);
  }

  /** @param lrScale per parameter, its learning-rate multiplier (a fine-tuned head's), or null for 1 each */
  Optim(TrainingParams p, List<Parameter> params, float[] lrScale) {
    this.p = p;
    this.params = params;
    this.lrScale = lrScale;
    boolean adam = !p.optimizer().equals("sgd");
    first = new NDArray[params.size()];
    second = new NDArray[params.size()];
    grads = new NDArray[params.size()];
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i).getArray();
      first[i] = adam || p.momentum() > 0 ? w.zerosLike() : null;
      second[i] = adam ? w.zerosLike() : null;
    }
  }

  long steps() {
    return steps;
  }

  /** Clips, updates every parameter with learning rate {@code baseLr} (times its scale) and zeroes the gradients. Call inside an NDScope. */
  void step(double baseLr) {
    // The engine accumulates into the same gradient tensor every step (the updates zero it in
    // place), so one handle per parameter serves the whole run: two native calls less per
    // parameter and step.
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null) {
        grads[i] = params.get(i).getArray().getGradient();
        NDScope.unregister(grads[i]);
      }
    }
    if (p.clipGrad() > 0) {
      NDArray total = null;
      for (NDArray g : grads) {
        NDArray s = g.square().sum();
        total = total == null ? s : total.add(s);
      }
      double norm = Math.sqrt(total.getFloat());
      if (norm > p.clipGrad()) {
        float scale = (float) (p.clipGrad() / (norm + 1e-6));
        for (NDArray g : grads) {
          g.muli(scale);
        }
      }
    }
    steps++;
    float wd = (float) p.weightDecay();
    for (int i = 0; i < grads.length; i++) {
      NDArray w = params.get(i).getArray();
      double lr = lrScale == null ? baseLr : baseLr * lrScale[i];
      if (p.optimizer().equals("sgd")) {
        NDArray state = first[i] == null ? grads[i] : first[i];
        w.getNDArrayInternal().sgdUpdate(new NDList(w, grads[i], state), new NDList(w), (float) lr, wd, 1f, -1f,
            (float) p.momentum(), false);
      } else {
        double c1 = 1 - Math.pow(BETA1, steps);
        double c2 = 1 - Math.pow(BETA2, steps);
        float corrected = (float) (lr * Math.sqrt(c2) / c1);
        w.getNDArrayInternal().adamUpdate(new NDList(w, grads[i], first[i], second[i]), new NDList(w), (float) lr,
            corrected, wd, 1f, -1f, BETA1, BETA2, EPSILON, false, p.optimizer().equals("adamw"));
      }
    }
  }

  void save(DataOutputStream out) throws IOException {
    out.writeInt(1);
    out.writeLong(steps);
    out.writeInt(params.size());
    for (int i = 0; i < params.size(); i++) {
      write(out, first[i]);
      write(out, second[i]);
    }
  }

  void load(DataInputStream in, NDManager manager) throws IOException {
    int version = in.readInt();
    if (version != 1) {
      throw new IOException("unknown optimizer state version " + version);
    }
    steps = in.readLong();
    int n = in.readInt();
    if (n != params.size()) {
      throw new IOException("optimizer state holds " + n + " parameters, the model has " + params.size());
    }
    for (int i = 0; i < n; i++) {
      first[i] = read(in, manager, first[i]);
      second[i] = read(in, manager, second[i]);
    }
  }

  private static void write(DataOutputStream out, NDArray a) throws IOException {
    if (a == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = a.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static NDArray read(DataInputStream in, NDManager manager, NDArray current) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return current;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    NDArray loaded = NDArray.decode(manager, bytes);
    if (current == null || !current.getShape().equals(loaded.getShape())) {
      throw new IOException("optimizer state of shape " + loaded.getShape() + " does not match the parameter");
    }
    current.close();
    return loaded;
  }
}
