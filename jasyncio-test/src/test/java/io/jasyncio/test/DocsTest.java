package io.jasyncio.test;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Java block of docs/testing.md is code that the test suite compiles and runs. */
class DocsTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();

  private static List<String> normalized(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  private static List<List<String>> javaBlocks(String markdown) {
    List<List<String>> blocks = new ArrayList<>();
    StringBuilder cur = null;
    for (String line : markdown.split("\n", -1)) {
      if (cur == null && line.strip().equals("```java")) {
        cur = new StringBuilder();
      } else if (cur != null && line.strip().equals("```")) {
        blocks.add(normalized(cur.toString()));
        cur = null;
      } else if (cur != null) {
        cur.append(line).append('\n');
      }
    }
    return blocks;
  }

  @Test
  void everyJavaBlockOfTheTestingGuideIsTestedCode() throws IOException {
    String guide = Files.readString(MODULE.resolveSibling("docs").resolve("testing.md"));
    List<String> sources = new ArrayList<>();
    sources.addAll(
        normalized(
            Files.readString(
                MODULE.resolve("src/test/java/io/jasyncio/test/TestingGuideTest.java"))));
    sources.add("----");
    sources.addAll(
        normalized(
            Files.readString(
                MODULE.resolve("src/main/java/io/jasyncio/test/demo/RacyAccount.java"))));
    List<List<String>> blocks = javaBlocks(guide);
    assertTrue(blocks.size() >= 5, "blocks found: " + blocks.size());
    for (List<String> block : blocks) {
      assertTrue(
          java.util.Collections.indexOfSubList(sources, block) >= 0,
          "docs/testing.md block not found verbatim in TestingGuideTest or RacyAccount:\n"
              + String.join("\n", block));
    }
  }
}
