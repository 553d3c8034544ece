package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.training.TrialSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slot runners' wire format without sockets: handshake, messages, and what the reader refuses. */
class SlotProtocolTest {

  @Test
  void theHandshakeNamesTheRunnerAndRefusesAWrongSecretOrAStranger() throws IOException {
    byte[] secret = SlotProtocol.newSecret();
    assertThat(secret).hasSize(SlotProtocol.SECRET_BYTES).isNotEqualTo(SlotProtocol.newSecret());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SlotProtocol.greet(bytes, secret, 42);
    assertThat(SlotProtocol.accept(new ByteArrayInputStream(bytes.toByteArray()), secret)).isEqualTo(42);

    assertThatThrownBy(() -> SlotProtocol.accept(new ByteArrayInputStream(bytes.toByteArray()), SlotProtocol.newSecret()))
        .isInstanceOf(IOException.class).hasMessageContaining("wrong secret");
    assertThatThrownBy(() -> SlotProtocol.accept(new ByteArrayInputStream("GET / HTTP/1.1\r\n\r\n".getBytes()), secret))
        .isInstanceOf(IOException.class).hasMessageContaining("wrong magic number");
  }

  @Test
  void messagesRoundTripWithTheirTaskSpec() throws IOException {
    TrialSpec spec = new TrialSpec("sw", 3, 2, Map.of("lr", 0.1, "layers", List.of(16, 8)), 7, "val_accuracy", true,
        new TableVersion("train", "/w/train", 1), new TableVersion("val", "/w/val", 1), List.of("a", "b"), false);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ObjectOutputStream out = SlotProtocol.writer(bytes);
    SlotProtocol.write(out, new SlotMessage.Run("3/2/0", spec));
    SlotProtocol.write(out, new SlotMessage.Cancel("3/2/0"));
    var in = SlotProtocol.reader(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(SlotProtocol.read(in)).isEqualTo(new SlotMessage.Run("3/2/0", spec));
    assertThat(SlotProtocol.read(in)).isEqualTo(new SlotMessage.Cancel("3/2/0"));
  }

  @Test
  void theReaderRefusesClassesOutsideTheMessagesPackages() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ObjectOutputStream out = SlotProtocol.writer(bytes);
    out.writeObject(new javax.management.ObjectName("a:b=c"));
    out.flush();
    var in = SlotProtocol.reader(new ByteArrayInputStream(bytes.toByteArray()));
    assertThatThrownBy(() -> SlotProtocol.read(in)).isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("REJECTED");
  }
}
