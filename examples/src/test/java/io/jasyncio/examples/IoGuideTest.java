package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.examples.guide.IoGuide;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoGuideTest {
  @Test
  void theStreamsGuideEchoesALine() {
    assertThat(IoGuide.echo()).isEqualTo("hi\n");
  }

  @Test
  void theStreamsGuideRacesTheAddressesOfLocalhost() {
    assertThat(IoGuide.happyEyeballs()).isEqualTo("ping\n");
  }

  @Test
  void theSubprocessGuideReadsSortLineByLine() {
    assertThat(IoGuide.subprocessStreams()).containsExactly("apple", "fig", "pear", "exit 0");
  }

  @Test
  void theFilesGuideReadsLinesAndReplacesAtomically(@TempDir Path dir) {
    assertThat(IoGuide.files(dir)).containsExactly("one", "two", "mode=fast");
  }

  @Test
  void theTempFilesGuideDeletesOnClose(@TempDir Path dir) {
    assertThat(IoGuide.tempFiles(dir)).containsExactly(false, false);
  }

  @Test
  void theSubprocessGuideCollectsOutput(@TempDir Path dir) {
    assertThat(IoGuide.subprocess(dir)).isEqualTo("0: hello");
  }

  @Test
  void theSubprocessGuideDiscardsAndReplacesTheEnvironment() {
    assertThat(IoGuide.subprocessOptions()).containsExactly("exit 0", "C", "merged");
  }
}
