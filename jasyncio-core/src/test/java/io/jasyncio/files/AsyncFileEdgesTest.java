package io.jasyncio.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edges of async files that a user of aiofiles relies on. */
class AsyncFileEdgesTest {
  @TempDir Path dir;

  @Test
  void aReadWithAHugeMaximumReturnsWhatThereIsWithoutAllocatingTheMaximum() {
    Async.run(
        () -> {
          Path f = dir.resolve("small");
          AsyncFiles.writeString(f, "hello");
          try (AsyncFile r = AsyncFiles.openRead(f)) {
            assertThat(new String(r.read(Integer.MAX_VALUE))).isEqualTo("hello"); // was: OOM
            assertThat(r.read(Integer.MAX_VALUE)).isEmpty();
          }
        });
  }

  @Test
  void dataAppendedAfterTheEndWasReachedIsReadByTheNextRead() {
    Async.run(
        () -> {
          Path f = dir.resolve("log");
          AsyncFiles.writeString(f, "first\n");
          try (AsyncFile r = AsyncFiles.openRead(f)) {
            assertThat(r.readLine()).isEqualTo("first");
            assertThat(r.readLine()).isNull(); // the end, for now
            AsyncFiles.writeString(f, "second\n", StandardOpenOption.APPEND);
            assertThat(r.readLine()).isEqualTo("second"); // as a tail loop expects
            AsyncFiles.writeString(f, "third", StandardOpenOption.APPEND);
            assertThat(new String(r.read(100))).isEqualTo("third");
          }
        });
  }

  @Test
  void aCarriageReturnNotFollowedByANewlineIsData() {
    Async.run(
        () -> {
          Path f = dir.resolve("cr");
          AsyncFiles.writeString(f, "a\r\nb\rc\r");
          try (AsyncFile r = AsyncFiles.openRead(f)) {
            assertThat(r.readLine()).isEqualTo("a"); // \r\n ends a line
            assertThat(r.readLine()).isEqualTo("b\rc\r"); // a lone \r does not, even at the end
            assertThat(r.readLine()).isNull();
          }
        });
  }

  @Test
  void openingADirectoryFailsNamingIt() {
    Async.run(
        () -> {
          assertThatThrownBy(() -> AsyncFiles.openRead(dir))
              .isInstanceOf(FileSystemException.class)
              .hasMessageContaining(dir.toString())
              .hasMessageContaining("Is a directory");
        });
  }

  @Test
  void writingAFileOpenedForReadingFailsAtTheWrite() {
    Async.run(
        () -> {
          Path f = dir.resolve("ro");
          AsyncFiles.writeString(f, "x");
          try (AsyncFile r = AsyncFiles.openRead(f)) {
            assertThatThrownBy(() -> r.write("y"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("reading only");
          }
          assertThat(Files.readString(f)).isEqualTo("x");
        });
  }

  @Test
  void atomicReplaceKeepsTheTargetsPermissions() {
    Async.run(
        () -> {
          Path f = dir.resolve("script.sh");
          AsyncFiles.writeString(f, "#!/bin/sh\n");
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
          AsyncFiles.atomicReplace(f, "#!/bin/sh\necho new\n".getBytes());
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
              .isEqualTo("rwxr-xr-x");
          assertThat(Files.readString(f)).isEqualTo("#!/bin/sh\necho new\n");
          return null;
        });
  }

  @Test
  void aReadAfterTheEndWithTheInterruptFlagSetStillReadsWhatWasAppended() {
    Async.run(
        () -> {
          Path f = dir.resolve("tail");
          AsyncFiles.writeString(f, "a");
          try (AsyncFile r = AsyncFiles.openRead(f)) {
            assertThat(new String(r.read(10))).isEqualTo("a");
            assertThat(r.read(10)).isEmpty();
            AsyncFiles.writeString(f, "b", StandardOpenOption.APPEND);
            Thread.currentThread().interrupt(); // the usual "restore the flag" idiom in a task
            assertThat(new String(r.read(10))).isEqualTo("b"); // the channel stayed open
          }
        });
  }
}
