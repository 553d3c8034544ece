package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on a Hadoop filesystem path: continuing from epoch k repeats the uninterrupted run exactly. */
class CheckpointResumeTest {

  @TempDir
  Path dir;

  private List<EpochMetrics> run(Map<String, Object> raw, String trialDir) {
    SplitRows train = TestData.synthetic(400, 41);
    SplitRows val = TestData.synthetic(150, 42);
    TrainingParams p = TrainingParams.from(raw);
    Featurizer f = Featurizer.fit(p, train);
    CheckpointStore store = new CheckpointStore(trialDir, new Configuration());
    return new ModelTrainer(p, 2, Device.cpu()).train(f.encode(train), f.encode(val), 9, "val_loss", false, null,
        store, Map.of("params", raw), m -> { }).history();
  }

  @Test
  void resumingFromEpochKMatchesTheUninterruptedRun() {
    // dropout and SGD momentum exercise the per-epoch engine seed and the optimizer state in the checkpoint
    Map<String, Object> three = Map.of("optimizer", "sgd", "lr", 0.2, "momentum", 0.9, "dropout", 0.3, "hidden", 16L,
        "hash_dim", 128L, "epochs", 3L, "batch_size", 16L);
    Map<String, Object> two = new java.util.HashMap<>(three);
    two.put("epochs", 2L);
    List<EpochMetrics> straight = run(three, dir.resolve("a").toUri().toString());
    List<EpochMetrics> firstPart = run(two, dir.resolve("b").toUri().toString());
    List<EpochMetrics> resumed = run(three, dir.resolve("b").toUri().toString());
    assertThat(firstPart).hasSize(2);
    assertThat(resumed).hasSize(3);
    assertThat(resumed.subList(0, 2)).isEqualTo(firstPart);
    assertThat(resumed.get(2).valLoss()).isEqualTo(straight.get(2).valLoss());
    assertThat(resumed.get(2).trainLoss()).isEqualTo(straight.get(2).trainLoss());
    // a finished trial re-run with the same budget trains nothing more
    assertThat(run(three, dir.resolve("b").toUri().toString())).isEqualTo(resumed);
    assertThat(dir.resolve("b/best/model.json")).exists();
    assertThat(dir.resolve("b/checkpoint/state.json")).exists();
    assertThat(dir.resolve("b/checkpoint.tmp")).doesNotExist();
  }

  @Test
  void aCheckpointKilledMidWriteIsIgnoredAndTheTrialStartsOver() throws Exception {
    Map<String, Object> two = Map.of("hidden", 8L, "hash_dim", 64L, "epochs", 2L, "batch_size", 32L);
    List<EpochMetrics> straight = run(two, dir.resolve("a").toUri().toString());
    // what a process killed while writing its first checkpoint leaves: parameters, a half-written marker
    Path leftover = Files.createDirectories(dir.resolve("b/checkpoint.tmp"));
    Files.write(leftover.resolve("model.params"), new byte[] {1, 2, 3});
    Files.writeString(leftover.resolve("state.json.part"), "{\"epoch\": 1, \"st");
    CheckpointStore store = new CheckpointStore(dir.resolve("b").toUri().toString(), new Configuration());
    assertThat(store.latest()).as("an incomplete checkpoint is not a checkpoint").isEmpty();
    List<EpochMetrics> rerun = run(two, dir.resolve("b").toUri().toString());
    assertThat(rerun).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    assertThat(rerun).extracting(EpochMetrics::trainLoss).isEqualTo(straight.stream().map(EpochMetrics::trainLoss).toList());
    assertThat(dir.resolve("b/checkpoint/state.json")).exists();
    assertThat(dir.resolve("b/checkpoint/state.json.part")).doesNotExist();
  }
}
