package dev.prepsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.prepsweep.training.torchscript.TorchScriptModule;
import java.util.LinkedHashMap;
import java.util.Map;

/** The network of each model family. */
final class Models {
  private Models() {}

  /**
   * The network of {@code p} on {@code manager}, ready to train: a built-in family initialised for
   * {@code input}, or the user's TorchScript module loaded with its own parameters.
   */
  static Block create(TrainingParams p, int classes, NDManager manager, Shape input) {
    if (p.torchscript() != null) {
      return TorchScriptModule.load(manager, p.torchscript().path(), PinnedSnapshotReader.hadoopConf());
    }
    Block block = build(p, classes);
    block.initialize(manager, DataType.FLOAT32, input);
    return block;
  }

  /** What a checkpoint keeps of {@code block}: DJL's parameters, or a TorchScript module as {@code torch.jit.save} writes it. */
  static CheckpointStore.IoWriter checkpointWriter(Block block) {
    return block instanceof PtSymbolBlock ? out -> TorchScriptModule.write(block, out) : block::saveParameters;
  }

  /** The files of a kept model: {@code model.params} (DJL's form), and for a TorchScript module {@code model.pt} too. */
  static Map<String, CheckpointStore.IoWriter> bestFiles(Block block) {
    Map<String, CheckpointStore.IoWriter> files = new LinkedHashMap<>();
    files.put("model.params", block::saveParameters);
    if (block instanceof PtSymbolBlock) {
      files.put(SavedModel.TORCHSCRIPT_FILE, out -> TorchScriptModule.write(block, out));
    }
    return files;
  }

  static Block build(TrainingParams p, int classes) {
    return switch (p.model()) {
      case "mlp_text", "mlp" -> head(p, classes);
      case "text_cnn" -> new TokenClassifier(p.vocabSize(), p.embedDim(), p.convFilters(), p.kernelSize(),
          p.pooling().equals("max"), p.dropout(), head(p, classes));
      default -> cnn(p, classes);
    };
  }

  /** {@code layers} x (Linear(hidden), ReLU, Dropout) then Linear(classes): the MLP and every family's head. */
  static SequentialBlock head(TrainingParams p, int classes) {
    SequentialBlock block = new SequentialBlock();
    for (int i = 0; i < p.layers(); i++) {
      block.add(Linear.builder().setUnits(p.hidden()).build());
      block.add(Activation.reluBlock());
      if (p.dropout() > 0) {
        block.add(Dropout.builder().optRate((float) p.dropout()).build());
      }
    }
    block.add(Linear.builder().setUnits(classes).build());
    return block;
  }

  /** {@code conv_blocks} x (3x3 conv, ReLU, 2x2 max-pool), channels doubling from {@code conv_channels}, then the head. */
  private static Block cnn(TrainingParams p, int classes) {
    SequentialBlock block = new SequentialBlock();
    for (int i = 0; i < p.convBlocks(); i++) {
      block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
          .setFilters(p.convChannels() << i).build());
      block.add(Activation.reluBlock());
      block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
    block.add(Blocks.batchFlattenBlock());
    if (p.dropout() > 0) {
      block.add(Dropout.builder().optRate((float) p.dropout()).build());
    }
    block.add(head(p, classes));
    return block;
  }

  /**
   * Token ids {@code (B, T)} (0 = padding) to an embedding {@code (B, T, E)}, optionally a same-padded
   * 1-D convolution with ReLU {@code (B, T, F)}, masked max or mean pooling over tokens, dropout, then the head.
   */
  static final class TokenClassifier extends AbstractBlock {
    private final Parameter embedding;
    private final int embedDim;
    private final Block conv;
    private final boolean maxPool;
    private final Block dropout;
    private final Block head;

    TokenClassifier(int vocab, int embedDim, int filters, int kernel, boolean maxPool, double dropout, Block head) {
      super((byte) 1);
      this.embedDim = embedDim;
      this.maxPool = maxPool;
      this.embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(vocab, embedDim)).build());
      this.conv = filters > 0 ? addChildBlock("conv", Conv1d.builder().setKernelShape(new Shape(kernel))
          .optPadding(new Shape(kernel / 2)).setFilters(filters).build()) : null;
      this.dropout = dropout > 0 ? addChildBlock("dropout", Dropout.builder().optRate((float) dropout).build()) : null;
      this.head = addChildBlock("head", head);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray ids = inputs.singletonOrThrow();
      NDArray weight = ps.getValue(embedding, ids.getDevice(), training);
      NDArray h = ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
      if (conv != null) {
        h = conv.forward(ps, new NDList(h.transpose(0, 2, 1)), training).singletonOrThrow();
        h = Activation.relu(h).transpose(0, 2, 1);
      }
      NDArray mask = ids.gt(0).toType(h.getDataType(), false).expandDims(2);
      NDArray pooled;
      if (maxPool) {
        pooled = h.add(mask.sub(1f).mul(1e4f)).max(new int[] {1});
      } else {
        pooled = h.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
      }
      NDList x = new NDList(pooled);
      if (dropout != null) {
        x = dropout.forward(ps, x, training);
      }
      return head.forward(ps, x, training, params);
    }

    private long features() {
      return conv == null ? embedDim : conv.getOutputShapes(new Shape[] {new Shape(1, embedDim, 8)})[0].get(1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), features())});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
      long batch = inputShapes[0].get(0);
      long tokens = inputShapes[0].get(1);
      if (conv != null) {
        conv.initialize(manager, dataType, new Shape(batch, embedDim, tokens));
      }
      Shape pooled = new Shape(batch, features());
      if (dropout != null) {
        dropout.initialize(manager, dataType, pooled);
      }
      head.initialize(manager, dataType, pooled);
    }
  }
}
