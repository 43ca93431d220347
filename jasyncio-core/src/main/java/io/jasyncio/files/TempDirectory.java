package io.jasyncio.files;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A temporary directory that {@link #close()} deletes with everything in it (aiofiles' {@code
 * TemporaryDirectory}); made by {@link AsyncFiles#tempDirectory(String)}.
 *
 * <pre>{@code
 * try (TempDirectory tmp = AsyncFiles.tempDirectory("work")) {
 *   AsyncFiles.writeString(tmp.path().resolve("a.txt"), "hi");
 * } // deleted here, even if cancelled
 * }</pre>
 */
public final class TempDirectory implements AutoCloseable {
  private final Path path;
  private boolean closed;

  TempDirectory(Path path) {
    this.path = path;
  }

  /** The directory. */
  public Path path() {
    return path;
  }

  /** Whether {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Deletes the directory and its contents; <b>suspends</b> while a virtual thread does it.
   * Symbolic links inside are deleted, not followed. The deletion is waited for even if the task is
   * cancelled meanwhile ({@link io.jasyncio.CancelledError} is thrown after it), so the tree is
   * gone whenever close returns or throws CancelledError. Idempotent; after a failure, calling it
   * again retries.
   *
   * @throws IOException if something could not be deleted (the first failure; the rest is still
   *     tried)
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    LoopImpl.currentTask("TempDirectory.close");
    Blocking.callToEnd(
        "delete",
        () -> {
          deleteTree(path);
          return null;
        },
        null);
    closed = true; // only now: after a failure, close can be called again to retry
  }

  static void deleteTreeQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      // a directory nobody saw; nothing more to do
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return; // already gone (a retried or cancelled close that had finished)
    }
    IOException[] first = {null};
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (!(e instanceof NoSuchFileException)) {
                note(e);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
              if (e != null) {
                note(e);
              }
              delete(d);
              return FileVisitResult.CONTINUE;
            }

            private void delete(Path p) {
              try {
                Files.deleteIfExists(p);
              } catch (IOException e) {
                note(e);
              }
            }

            private void note(IOException e) {
              if (first[0] == null) {
                first[0] = e;
              } else {
                first[0].addSuppressed(e);
              }
            }
          });
    } catch (NoSuchFileException e) {
      return; // already gone
    }
    if (first[0] != null) {
      throw first[0];
    }
  }

  @Override
  public String toString() {
    return "TempDirectory[" + path + (closed ? ", closed" : "") + "]";
  }
}
