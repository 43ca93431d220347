package io.jasyncio.files;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every AsyncFiles / AsyncFile entry point rejects bad input with an error naming it. */
class AsyncFilesBadArgumentsTest {
  @TempDir Path dir;

  @Test
  void nullArgumentsAreRejectedByName() {
    Path p = dir.resolve("a.txt");
    Async.run(
        () -> {
          assertThatThrownBy(() -> AsyncFiles.open(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("path");
          assertThatThrownBy(() -> AsyncFiles.open(p, (OpenOption[]) null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("options");
          assertThatThrownBy(() -> AsyncFiles.open(p, StandardOpenOption.WRITE, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("options must not contain null")
              .hasMessageContaining("element 1");
          assertThatThrownBy(() -> AsyncFiles.readAllBytes(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("path");
          assertThatThrownBy(() -> AsyncFiles.write(p, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("data");
          assertThatThrownBy(() -> AsyncFiles.write(p, new byte[1], (OpenOption[]) null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("options");
          assertThatThrownBy(() -> AsyncFiles.writeString(p, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("text");
          assertThatThrownBy(() -> AsyncFiles.move(null, p))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("source");
          assertThatThrownBy(() -> AsyncFiles.move(p, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("target");
          assertThatThrownBy(() -> AsyncFiles.move(p, p, (CopyOption[]) null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("options");
          assertThatThrownBy(() -> AsyncFiles.atomicReplace(p, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("data");
          assertThatThrownBy(() -> AsyncFiles.list(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("dir");
          assertThatThrownBy(() -> AsyncFiles.createTempFile(null, "x", ".tmp"))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("dir");
          assertThatThrownBy(() -> AsyncFiles.createTempDirectory(null, "x"))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("dir");
          assertThatThrownBy(() -> AsyncFiles.tempFile(null, "x", ".tmp"))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("dir");
          assertThatThrownBy(() -> AsyncFiles.tempDirectory(null, "x"))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("dir");
        });
  }

  @Test
  void badValuesAndClosedFilesAreNamed() {
    Path p = dir.resolve("b.txt");
    Async.run(
        () -> {
          AsyncFile f = AsyncFiles.openWrite(p);
          assertThatThrownBy(() -> f.read(0))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("max");
          assertThatThrownBy(() -> f.seek(-1))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("pos");
          assertThatThrownBy(() -> f.write((byte[]) null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("data");
          f.close();
          for (String op : new String[] {"seek", "sync", "read", "readLine", "readAll", "size"}) {
            assertThatThrownBy(
                    () -> {
                      switch (op) {
                        case "seek" -> f.seek(0);
                        case "sync" -> f.sync();
                        case "read" -> f.read(1);
                        case "readLine" -> f.readLine();
                        case "readAll" -> f.readAll();
                        default -> f.size();
                      }
                    })
                .as(op)
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining(op + " on a closed file")
                .hasMessageContaining(p.toString());
          }
          assertThatThrownBy(() -> AsyncFiles.createTempFile(dir.resolve("missing"), "x", null))
              .isInstanceOf(java.nio.file.NoSuchFileException.class)
              .hasMessageContaining("missing");
        });
    assertThatThrownBy(() -> AsyncFiles.tempFile("x", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AsyncFiles.tempFile");
  }
}
