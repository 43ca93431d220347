package io.jasyncio.internal.debug;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackFramesTest {
  private static StackTraceElement f(String cls, String method) {
    return new StackTraceElement(cls, method, cls.substring(cls.lastIndexOf('.') + 1) + ".java", 1);
  }

  private static List<String> names(List<StackTraceElement> frames) {
    return frames.stream().map(x -> x.getClassName() + "." + x.getMethodName()).toList();
  }

  @Test
  void userViewKeepsUserFramesAndTheCallsTheyMadeIntoJasyncio() {
    StackTraceElement[] raw = {
      f("jdk.internal.misc.Unsafe", "park"),
      f("java.util.concurrent.locks.LockSupport", "park"),
      f("io.jasyncio.internal.LoopImpl", "park"),
      f("io.jasyncio.internal.TaskImpl", "suspend"),
      f("io.jasyncio.internal.LoopImpl", "sleep"),
      f("io.jasyncio.Async", "sleep"),
      f("com.example.Crawler", "fetch"),
      f("java.util.ArrayList", "forEach"),
      f("com.example.Crawler", "lambda$crawl$0"),
      f("io.jasyncio.TaskGroup", "run"),
      f("io.jasyncio.Async", "taskGroup"),
      f("com.example.Crawler", "crawl"),
      f("io.jasyncio.internal.TaskImpl", "run"),
      f("io.jasyncio.internal.LoopImpl", "runTask"),
      f("java.lang.VirtualThread", "run"),
    };
    assertThat(names(StackFrames.userView(raw)))
        .containsExactly(
            "io.jasyncio.Async.sleep",
            "com.example.Crawler.fetch",
            "com.example.Crawler.lambda$crawl$0",
            "io.jasyncio.Async.taskGroup",
            "com.example.Crawler.crawl");
  }

  @Test
  void withoutUserFramesTheLastPublicCallIsKept() {
    StackTraceElement[] raw = {
      f("io.jasyncio.internal.TaskImpl", "suspend"),
      f("io.jasyncio.Async", "yieldNow"),
      f("io.jasyncio.internal.TaskImpl", "run"),
    };
    assertThat(names(StackFrames.userView(raw))).containsExactly("io.jasyncio.Async.yieldNow");
  }

  @Test
  void taskFramesStopAtTheTaskEntry() {
    StackTraceElement[] raw = {
      f("java.lang.Thread", "sleep"),
      f("com.example.Hog", "run"),
      f("io.jasyncio.internal.TaskImpl", "run"),
      f("io.jasyncio.internal.LoopImpl", "runTask"),
    };
    assertThat(names(StackFrames.taskFrames(raw)))
        .containsExactly("java.lang.Thread.sleep", "com.example.Hog.run");
  }

  @Test
  void programsAndTestsUnderIoJasyncioCountAsUserCode() {
    assertThat(StackFrames.isLibrary("io.jasyncio.Async")).isTrue();
    assertThat(StackFrames.isLibrary("io.jasyncio.internal.LoopImpl")).isTrue();
    assertThat(StackFrames.isLibrary("io.jasyncio.TaskGroup$1")).isTrue();
    assertThat(StackFrames.isLibrary("io.jasyncio.tools.demo.NestedGroups")).isFalse();
    assertThat(StackFrames.isLibrary("io.jasyncio.examples.Demo")).isFalse();
    assertThat(StackFrames.isLibrary("io.jasyncio.debug.TaskTreeTest$Inner")).isFalse();
    assertThat(StackFrames.isLibrary("com.example.Main")).isFalse();
  }

  @Test
  void framesAreFormattedWithoutModulePrefixes() {
    StackTraceElement e =
        new StackTraceElement("app", "io.jasyncio", "1.0", "a.B", "m", "B.java", 7);
    assertThat(StackFrames.format(e)).isEqualTo("a.B.m(B.java:7)");
    assertThat(StackFrames.formatShort(e)).isEqualTo("B.m(B.java:7)");
    assertThat(StackFrames.format(new StackTraceElement("a.B", "m", null, -2)))
        .isEqualTo("a.B.m(Native Method)");
  }
}
