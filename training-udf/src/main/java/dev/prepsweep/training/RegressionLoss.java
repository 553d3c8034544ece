package dev.prepsweep.training;

import ai.djl.ndarray.NDArray;

/**
 * The regression losses, as PyTorch defines them with {@code reduction='mean'}: {@code mse} (squared error),
 * {@code mae} (absolute error) and {@code huber} ({@code 0.5 e^2} for {@code |e| <= delta}, else
 * {@code delta (|e| - 0.5 delta)}, as {@code torch.nn.HuberLoss}). One tensor expression for training, and the
 * same formula over arrays for the validation loss.
 */
final class RegressionLoss {
  private RegressionLoss() {}

  /** The mean loss of {@code output} against {@code target} (both {@code (batch, 1)}), differentiable. */
  static NDArray of(RegressionParams p, NDArray output, NDArray target) {
    NDArray error = output.sub(target);
    return switch (p.loss()) {
      case "mae" -> error.abs().mean();
      case "huber" -> {
        NDArray abs = error.abs();
        float d = (float) p.huberDelta();
        // min(|e|, d) is the quadratic part; the rest of |e| is linear: 0.5 q^2 + d (|e| - q)
        NDArray q = abs.minimum(d);
        yield q.square().mul(0.5f).add(abs.sub(q).mul(d)).mean();
      }
      default -> error.square().mean();
    };
  }

  /** The same mean loss over arrays. */
  static double of(RegressionParams p, float[] output, float[] target) {
    double sum = 0;
    for (int i = 0; i < output.length; i++) {
      double e = Math.abs((double) output[i] - target[i]);
      sum += switch (p.loss()) {
        case "mae" -> e;
        case "huber" -> e <= p.huberDelta() ? 0.5 * e * e : p.huberDelta() * (e - 0.5 * p.huberDelta());
        default -> e * e;
      };
    }
    return sum / Math.max(1, output.length);
  }
}
