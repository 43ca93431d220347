package io.jasyncio.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/debugging.md honest: every {@code ```java} block of the guide must appear, line for
 * line (indentation aside), in {@link DebuggingGuideTest}, which compiles and runs it.
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..");

  private static List<String> normalized(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void everyJavaBlockOfTheDebuggingGuideIsTestCode() throws IOException {
    String guide = Files.readString(ROOT.resolve("docs/debugging.md"));
    List<String> source =
        normalized(
            Files.readString(
                ROOT.resolve(
                    "jasyncio-tools/src/test/java/io/jasyncio/tools/DebuggingGuideTest.java")));
    List<String> blocks = javaBlocks(guide);
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
    for (String block : blocks) {
      List<String> lines = normalized(block);
      assertThat(java.util.Collections.indexOfSubList(source, lines))
          .as("this block of docs/debugging.md is not in DebuggingGuideTest:\n%s", block)
          .isNotNegative();
    }
  }
}
