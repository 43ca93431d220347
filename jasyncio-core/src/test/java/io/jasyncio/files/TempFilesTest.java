package io.jasyncio.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.net.FdCount;
import io.jasyncio.sync.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TempFilesTest {
  @TempDir Path dir;

  @Test
  void createTempFileAndDirectoryInAGivenDirectory() {
    Async.run(
        () -> {
          Path f = AsyncFiles.createTempFile(dir, "pre", ".suf");
          assertThat(f.getParent()).isEqualTo(dir);
          assertThat(f.getFileName().toString()).startsWith("pre").endsWith(".suf");
          assertThat(AsyncFiles.exists(f)).isTrue();
          Path d = AsyncFiles.createTempDirectory(dir, "sub");
          assertThat(d.getParent()).isEqualTo(dir);
          assertThat(AsyncFiles.stat(d).isDirectory()).isTrue();
        });
  }

  @Test
  void aTempFileIsUsableByNameAndDeletedOnClose() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Path p;
                  try (AsyncFile tmp = AsyncFiles.tempFile(dir, "t", ".txt")) {
                    p = tmp.path();
                    assertThat(tmp.deletesOnClose()).isTrue();
                    assertThat(p.getParent()).isEqualTo(dir);
                    tmp.write("hello\nworld\n");
                    tmp.flush();
                    assertThat(AsyncFiles.readString(p)).isEqualTo("hello\nworld\n");
                    tmp.seek(0);
                    assertThat(tmp.readLine()).isEqualTo("hello");
                  }
                  assertThat(Files.exists(p)).isFalse();
                  try (AsyncFile tmp = AsyncFiles.tempFile(null, null)) {
                    p = tmp.path();
                    assertThat(p.getParent())
                        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
                  }
                  assertThat(Files.exists(p)).isFalse();
                }));
  }

  @Test
  void aTempDirectoryIsDeletedWithItsContentOnClose() {
    Async.run(
        () -> {
          Path p;
          try (TempDirectory tmp = AsyncFiles.tempDirectory(dir, "work")) {
            p = tmp.path();
            assertThat(p.getParent()).isEqualTo(dir);
            Path sub = AsyncFiles.createDirectories(p.resolve("a/b"));
            AsyncFiles.writeString(sub.resolve("c.txt"), "x");
            AsyncFiles.writeString(p.resolve("d.txt"), "y");
            Files.createSymbolicLink(p.resolve("link"), dir); // deleted, not followed
          }
          assertThat(Files.exists(p)).isFalse();
          assertThat(Files.exists(dir)).isTrue();
          TempDirectory t = AsyncFiles.tempDirectory("jasyncio");
          assertThat(t.path().getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
          t.close();
          t.close(); // idempotent
          assertThat(t.isClosed()).isTrue();
          assertThat(Files.exists(t.path())).isFalse();
        });
  }

  @Test
  void cancellingTheOwnerDeletesTempFilesAndDirectories() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Event ready = new Event();
                  Path[] made = new Path[2];
                  Task<Void> t =
                      Async.spawn(
                          () -> {
                            try (TempDirectory d = AsyncFiles.tempDirectory(dir, "d");
                                AsyncFile f = AsyncFiles.tempFile(d.path(), "f", null)) {
                              made[0] = d.path();
                              made[1] = f.path();
                              f.write("data".getBytes(StandardCharsets.UTF_8));
                              f.flush();
                              AsyncFiles.writeString(d.path().resolve("other"), "z");
                              ready.set();
                              Async.sleep(Duration.ofHours(1));
                            }
                            return null;
                          });
                  ready.await();
                  assertThat(Files.exists(made[1])).isTrue();
                  t.cancel();
                  assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  assertThat(Files.exists(made[1])).isFalse();
                  assertThat(Files.exists(made[0])).isFalse();
                }));
  }

  @Test
  void cancelledWhileCreatingLeavesNothingBehind() throws Exception {
    Path in = Files.createDirectory(dir.resolve("in"));
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    Task<AsyncFile> f = Async.spawn(() -> AsyncFiles.tempFile(in, "f", null));
                    Task<TempDirectory> d = Async.spawn(() -> AsyncFiles.tempDirectory(in, "d"));
                    Async.yieldNow(); // both are waiting for their virtual threads
                    f.cancel();
                    d.cancel();
                    assertThatThrownBy(f::await).isInstanceOf(CancelledError.class);
                    assertThatThrownBy(d::await).isInstanceOf(CancelledError.class);
                  }
                }));
    // The cancellations arrived while the tasks waited, so each creation was waited for and
    // released (closed, deleted) before CancelledError was thrown.
    try (var s = Files.list(in)) {
      assertThat(s.toList()).isEmpty();
    }
  }
}
