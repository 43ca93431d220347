package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation honest: every {@code java} code block in README.md and docs/*.md must
 * appear (ignoring white space) in a Java source file of the project that the build compiles, and
 * those sources are exercised by tests. A block that is only a fragment of a larger method still
 * matches; a block that was edited in the docs only does not.
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  static String squash(String s) {
    return s.replaceAll("\\s+", "");
  }

  static List<Path> docs() throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
    }
    return out;
  }

  static String allSources() throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.walk(ROOT)) {
      s.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/"))
          .filter(p -> !p.toString().contains("/target/"))
          .forEach(
              p -> {
                try {
                  sb.append(squash(Files.readString(p)));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return sb.toString();
  }

  @Test
  void everyJavaBlockInTheDocsIsCompiledProjectCode() throws IOException {
    String sources = allSources();
    List<String> missing = new ArrayList<>();
    int blocks = 0;
    for (Path doc : docs()) {
      if (!Files.exists(doc)) {
        continue;
      }
      Matcher m = BLOCK.matcher(Files.readString(doc));
      while (m.find()) {
        blocks++;
        if (!sources.contains(squash(m.group(1)))) {
          String first = m.group(1).strip().lines().findFirst().orElse("");
          missing.add(ROOT.relativize(doc) + ": block starting `" + first + "`");
        }
      }
    }
    assertThat(blocks).isPositive();
    assertThat(missing).as("doc code blocks not found in compiled sources").isEmpty();
  }
}
