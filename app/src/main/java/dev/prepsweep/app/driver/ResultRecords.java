package dev.prepsweep.app.driver;

import dev.prepsweep.app.results.ResultWriter;
import dev.prepsweep.app.results.SweepRecord;
import dev.prepsweep.app.results.TrialRecord;

/** The scheduler's rows written to the result tables through a {@link ResultWriter}. */
record ResultRecords(ResultWriter writer) implements SweepScheduler.Records {

  @Override
  public void write(TrialRecord record) {
    writer.write(record);
  }

  @Override
  public void write(SweepRecord record) {
    writer.write(record);
  }

  @Override
  public void rank(int trial, int attempt, int paretoRank) {
    writer.writeRank(trial, attempt, paretoRank);
  }

  @Override
  public void flush() {
    writer.flush();
  }

  @Override
  public void discardPending() {
    writer.discardPending();
  }
}
