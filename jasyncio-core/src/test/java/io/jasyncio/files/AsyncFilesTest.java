package io.jasyncio.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.net.FdCount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncFilesTest {
  @TempDir Path dir;

  @Test
  void writeAppendReadLinesAndChunks() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Path f = dir.resolve("a.txt");
                  try (AsyncFile w = AsyncFiles.openWrite(f)) {
                    w.write("one\ntwo\r\n");
                  }
                  try (AsyncFile a = AsyncFiles.openAppend(f)) {
                    a.write("three");
                    a.flush();
                    assertThat(a.size()).isEqualTo(14);
                  }
                  List<String> lines = new ArrayList<>();
                  try (AsyncFile r = AsyncFiles.openRead(f)) {
                    for (String line : r.lines()) {
                      lines.add(line);
                    }
                  }
                  assertThat(lines).containsExactly("one", "two", "three");
                  try (AsyncFile r = AsyncFiles.openRead(f)) {
                    assertThat(new String(r.read(3), StandardCharsets.UTF_8)).isEqualTo("one");
                    assertThat(r.readAll()).hasSize(11);
                    assertThat(r.read(10)).isEmpty();
                    r.seek(4);
                    assertThat(r.readLine()).isEqualTo("two");
                  }
                  assertThat(AsyncFiles.readString(f)).isEqualTo("one\ntwo\r\nthree");
                }));
  }

  @Test
  void pathOperations() {
    Async.run(
        () -> {
          Path sub = AsyncFiles.createDirectories(dir.resolve("x/y"));
          assertThat(AsyncFiles.stat(sub).isDirectory()).isTrue();
          AsyncFiles.write(sub.resolve("b.bin"), new byte[] {1, 2, 3});
          AsyncFiles.writeString(sub.resolve("a.txt"), "hi");
          assertThat(AsyncFiles.list(sub))
              .containsExactly(sub.resolve("a.txt"), sub.resolve("b.bin"));
          assertThat(AsyncFiles.stat(sub.resolve("b.bin")).size()).isEqualTo(3);
          AsyncFiles.move(sub.resolve("a.txt"), sub.resolve("c.txt"));
          assertThat(AsyncFiles.exists(sub.resolve("a.txt"))).isFalse();
          AsyncFiles.atomicReplace(sub.resolve("c.txt"), "new".getBytes(StandardCharsets.UTF_8));
          assertThat(AsyncFiles.readString(sub.resolve("c.txt"))).isEqualTo("new");
          assertThat(AsyncFiles.list(sub)).hasSize(2); // no temporary file left behind
          AsyncFiles.delete(sub.resolve("c.txt"));
          assertThat(AsyncFiles.deleteIfExists(sub.resolve("c.txt"))).isFalse();
          Path t = AsyncFiles.createTempFile("jasyncio", ".tmp");
          assertThat(AsyncFiles.deleteIfExists(t)).isTrue();
          Path td = AsyncFiles.createTempDirectory("jasyncio");
          AsyncFiles.delete(td);
        });
  }

  @Test
  void failuresAreTheFilesExceptions() {
    Async.run(
        () -> {
          assertThatThrownBy(() -> AsyncFiles.readAllBytes(dir.resolve("missing")))
              .isInstanceOf(NoSuchFileException.class);
          assertThatThrownBy(() -> AsyncFiles.openRead(dir.resolve("missing")))
              .isInstanceOf(NoSuchFileException.class);
          AsyncFile f = AsyncFiles.openWrite(dir.resolve("w"));
          f.close();
          assertThatThrownBy(() -> f.write(new byte[1]))
              .isInstanceOf(IOException.class)
              .hasMessageContaining("closed");
        });
    assertThatThrownBy(() -> AsyncFiles.readAllBytes(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Async.run");
  }

  @Test
  void cancelledWhileOpeningLeaksNoDescriptor() throws IOException {
    Path f = dir.resolve("c.txt");
    Files.writeString(f, "x");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    Task<AsyncFile> t = Async.spawn(() -> AsyncFiles.openRead(f));
                    Async.yieldNow(); // t is now waiting for its virtual thread
                    t.cancel();
                    assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  }
                }));
  }

  @Test
  void manyReadsRunConcurrentlyWithOtherTasks() throws IOException {
    for (int i = 0; i < 50; i++) {
      Files.write(dir.resolve("f" + i), new byte[1000 + i]);
    }
    List<Integer> sizes =
        Async.run(
            () -> {
              List<Callable<Integer>> reads = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                Path p = dir.resolve("f" + i);
                reads.add(() -> AsyncFiles.readAllBytes(p).length);
              }
              return Async.gather(reads);
            });
    for (int i = 0; i < 50; i++) {
      assertThat(sizes.get(i)).isEqualTo(1000 + i);
    }
  }
}
