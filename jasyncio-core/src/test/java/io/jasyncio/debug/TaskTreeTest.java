package io.jasyncio.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import io.jasyncio.internal.debug.DebugSupport;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class TaskTreeTest {
  private static final Duration LONG = Duration.ofHours(1);

  /** A leaf: counts down, then sleeps; the count-down and the suspension are one step. */
  static Void leaf(CountDownLatch started) {
    started.countDown();
    Async.sleep(LONG);
    return null;
  }

  /** Runs main on a loop in a thread of its own; returns the thread. */
  private static Thread runInBackground(Runner runner, Runnable main) {
    Thread t =
        Thread.ofPlatform()
            .name("runner")
            .start(
                () -> {
                  try {
                    runner.run(
                        () -> {
                          main.run();
                          return null;
                        });
                  } catch (CancelledError expected) {
                    // the test cancels main when it has looked
                  }
                });
    return t;
  }

  @Test
  void treeOfARunningLoopShowsNestedGroupsAndWhereLeavesWait() throws Exception {
    CountDownLatch started = new CountDownLatch(3);
    AtomicReference<Task<?>> main = new AtomicReference<>();
    try (Runner runner = Runner.create()) {
      Thread th =
          runInBackground(
              runner,
              () -> {
                main.set(Async.currentTask());
                Async.taskGroup(
                    g -> {
                      g.spawn(
                          "region-a",
                          () -> {
                            Async.taskGroup(
                                g2 -> {
                                  g2.spawn("leaf-a1", () -> leaf(started));
                                  g2.spawn("leaf-a2", () -> leaf(started));
                                });
                            return null;
                          });
                      g.spawn("leaf-b", () -> leaf(started));
                    });
              });
      started.await();
      TaskTree tree = TaskTree.capture(runner.loop());
      runner.loop().callSoonThreadsafe(() -> main.get().cancel());
      th.join();

      TaskInfo regionA = tree.find("region-a").orElseThrow();
      TaskInfo a1 = tree.find("leaf-a1").orElseThrow();
      TaskInfo a2 = tree.find("leaf-a2").orElseThrow();
      TaskInfo b = tree.find("leaf-b").orElseThrow();
      assertThat(tree.loops())
          .singleElement()
          .satisfies(l -> assertThat(l.status()).isEqualTo("running"));
      assertThat(a1.parentId()).isEqualTo(regionA.id());
      assertThat(a1.group()).isNotNull().isEqualTo(a2.group()).isNotEqualTo(regionA.group());
      assertThat(regionA.parentId()).isEqualTo(b.parentId()).isEqualTo(1);
      assertThat(regionA.childIds()).containsExactly(a1.id(), a2.id());
      assertThat(a1.state()).isEqualTo(TaskState.WAITING);
      StackTraceElement at = a1.waitingAt().orElseThrow();
      assertThat(at.getClassName() + "." + at.getMethodName()).isEqualTo("io.jasyncio.Async.sleep");
      assertThat(a1.stack().get(1).getMethodName()).isEqualTo("leaf");
      assertThat(a1.stack()).noneMatch(f -> f.getClassName().contains(".internal."));
      assertThat(regionA.waitingAt().orElseThrow().getMethodName()).isEqualTo("taskGroup");

      String text = tree.formatTree();
      List<String> lines = text.lines().toList();
      int mainLine = indexOf(lines, "(T) Task-1 #1 waiting");
      int regionLine = indexOf(lines, "(T) region-a #");
      int leafLine = indexOf(lines, "(T) leaf-a1 #");
      assertThat(mainLine).isLessThan(regionLine);
      assertThat(regionLine).isLessThan(leafLine);
      assertThat(indent(lines.get(mainLine)))
          .isLessThan(indent(lines.get(regionLine)))
          .as("nesting")
          .isLessThan(indent(lines.get(leafLine)));
      assertThat(lines.get(leafLine + 1)).contains("at io.jasyncio.Async.sleep(");
      assertThat(lines.get(leafLine + 2)).contains("at io.jasyncio.debug.TaskTreeTest.leaf(");
      assertThat(text).contains("[TaskGroup@");

      String ps = tree.formatPs();
      assertThat(ps.lines().findFirst().orElseThrow())
          .startsWith("LOOP")
          .contains("TASK", "NAME", "STATE", "PARENT", "WAITING AT");
      assertThat(ps)
          .containsPattern(
              "leaf-a1 +waiting +"
                  + regionA.id()
                  + " +Async\\.sleep <- TaskTreeTest\\.leaf\\(TaskTreeTest\\.java:\\d+\\)");
    }
  }

  private static int indexOf(List<String> lines, String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    throw new AssertionError("no line with '" + part + "' in\n" + String.join("\n", lines));
  }

  private static int indent(String line) {
    return line.indexOf("(T)");
  }

  /** Task.await leaves no public frame on the stack; the tree and the table say what it awaits. */
  @Test
  void aTaskAwaitingAnotherSaysWhich() {
    try (Runner runner = Runner.create()) {
      runner.run(
          () -> {
            Async.spawn(
                "outer", () -> Async.spawn("inner", () -> leaf(new CountDownLatch(1))).await());
            Async.yieldNow(); // outer starts inner and awaits it
            Async.yieldNow(); // inner runs until it sleeps
          });
      TaskTree tree = TaskTree.capture(runner.loop());
      TaskInfo outer = tree.find("outer").orElseThrow();
      TaskInfo inner = tree.find("inner").orElseThrow();
      assertThat(outer.awaitedTaskId()).isEqualTo(inner.id());
      assertThat(tree.formatTree())
          .contains("(T) outer #" + outer.id() + " waiting, awaiting #" + inner.id() + "\n")
          .contains("(T) inner #" + inner.id() + " waiting\n");
      assertThat(tree.formatPs().lines().filter(l -> l.contains(" outer ")).findFirst())
          .hasValueSatisfying(
              row -> assertThat(row).contains("await #" + inner.id() + " <- TaskTreeTest."));
    }
  }

  @Test
  void stoppedLoopIsReadDirectly() {
    try (Runner runner = Runner.create()) {
      runner.run(
          () -> {
            Async.spawn("sleeper", () -> leaf(new CountDownLatch(1)));
            Async.yieldNow(); // the sleeper runs until it suspends
          });
      TaskTree tree = TaskTree.capture(runner.loop());
      assertThat(tree.loops().get(0).status()).isEqualTo("stopped");
      TaskInfo sleeper = tree.find("sleeper").orElseThrow();
      assertThat(sleeper.state()).isEqualTo(TaskState.WAITING);
      assertThat(sleeper.parentId()).isEqualTo(1); // the main task, which has ended
      // The main task has ended, so the sleeper is a root.
      assertThat(tree.formatTree())
          .startsWith(
              "loop "
                  + tree.loops().get(0).id()
                  + " (stopped, 1 task)\n└── (T) sleeper #2 waiting\n")
          .contains("        at io.jasyncio.Async.sleep(");
      // Captured with every loop of the JVM, it is there too.
      assertThat(TaskTree.capture().tasks()).anyMatch(t -> t.name().equals("sleeper"));
    }
  }

  @Test
  void aTaskCapturingItsOwnLoopShowsItselfRunningAndNewTasks() {
    try (Runner runner = Runner.create()) {
      TaskTree tree =
          runner.run(
              () -> {
                Async.spawn("unstarted", () -> 1);
                return TaskTree.capture(Async.currentLoop());
              });
      TaskInfo me = tree.tasks().get(0);
      assertThat(me.state()).isEqualTo(TaskState.RUNNING);
      assertThat(me.waitingAt().orElseThrow().getMethodName()).isEqualTo("capture");
      assertThat(me.childIds()).containsExactly(2L);
      TaskInfo unstarted = tree.find("unstarted").orElseThrow();
      assertThat(unstarted.state()).isEqualTo(TaskState.NEW);
      assertThat(unstarted.stack()).isEmpty();
      assertThat(unstarted.waitingAt()).isEmpty();
      assertThat(tree.formatTree())
          .contains("└── (T) Task-1 #1 running", "    └── (T) unstarted #2 new");
    }
  }

  @Test
  void aBlockedLoopIsReportedBusyWithTheBlockingTask() throws Exception {
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Runner runner = Runner.create()) {
      Thread th =
          runInBackground(
              runner,
              () -> {
                Async.spawn(
                        "hog",
                        () -> {
                          blocking.countDown();
                          release.await(); // the subject: a step that blocks its loop
                          return null;
                        })
                    .await();
              });
      blocking.await();
      TaskTree tree;
      try {
        tree = TaskTree.capture(Duration.ofMillis(100));
      } finally {
        release.countDown();
      }
      th.join();
      LoopInfo loop =
          tree.loops().stream()
              .filter(l -> l.id() == ((io.jasyncio.internal.LoopImpl) runner.loop()).id())
              .findFirst()
              .orElseThrow();
      assertThat(loop.status()).isEqualTo("busy");
      TaskInfo hog = loop.tasks().get(0);
      assertThat(hog.name()).isEqualTo("hog");
      assertThat(hog.state()).isEqualTo(TaskState.RUNNING);
      assertThat(hog.stack())
          .anyMatch(f -> f.getClassName().equals("java.util.concurrent.CountDownLatch"));
      assertThat(tree.formatPs()).contains("(busy)");
    }
  }

  private static final int DEEP = 3000;

  /** Spawns a child and awaits it, {@code depth} levels down; the innermost one sleeps. */
  static Void chain(int depth, AtomicReference<Task<?>> bottom) {
    if (depth == 0) {
      bottom.set(Async.currentTask());
      Async.sleep(LONG);
      return null;
    }
    return Async.spawn("level-" + depth, () -> chain(depth - 1, bottom)).await();
  }

  @Test
  void aTreeThousandsOfLevelsDeepPrintsOnASmallStackWithBoundedIndentation() throws Exception {
    try (Runner runner = Runner.create()) {
      AtomicReference<Task<?>> bottom = new AtomicReference<>();
      Task<?> top =
          runner.run(
              () -> {
                Task<?> t = Async.spawn("top", () -> chain(DEEP, bottom));
                for (int i = 0; i < 10 * DEEP && bottom.get() == null; i++) {
                  Async.yieldNow(); // one level starts per round
                }
                assertThat(bottom.get()).isNotNull();
                return t;
              });
      TaskTree tree = TaskTree.capture(runner.loop());
      assertThat(tree.tasks()).hasSize(DEEP + 1);
      // The MBean answers on a JMX thread; the tree used to recurse once per level and overflow.
      AtomicReference<Object> out = new AtomicReference<>();
      Thread small =
          new Thread(
              null,
              () -> {
                try {
                  out.set(tree.formatTree());
                } catch (Throwable e) {
                  out.set(e);
                }
              },
              "small-stack",
              256 * 1024);
      small.start();
      small.join();
      assertThat(out.get()).isInstanceOf(String.class);
      List<String> lines = ((String) out.get()).lines().toList();
      assertThat(lines.stream().filter(l -> l.contains("(T) "))).hasSize(DEEP + 1);
      int widest = lines.stream().mapToInt(String::length).max().orElseThrow();
      assertThat(widest).isLessThan(4 * TaskTree.MAX_INDENT + 200); // not 4 * 3000
      String bottomLine = lines.stream().filter(l -> l.contains("(T) level-1 #")).findFirst().get();
      long parent = tree.find("level-2").orElseThrow().id();
      assertThat(bottomLine).endsWith("waiting, under #" + parent);
      int topLine = indexOf(lines, "(T) top #");
      assertThat(lines.get(topLine + 1)).contains("at io.jasyncio.debug.TaskTreeTest.chain(");
      assertThat(lines.get(topLine + 3)).contains("(T) level-" + DEEP + " #"); // its child, below

      // Unwind from the bottom, one level per step: cancelling the top would cancel the chain
      // recursively, one nest of calls per level (see the report on TaskImpl.requestCancel).
      runner.run(
          () -> {
            bottom.get().cancel();
            for (int i = 0; i < 10 * DEEP && !top.isDone(); i++) {
              Async.yieldNow();
            }
            assertThat(top.isDone()).isTrue();
          });
    }
  }

  @Test
  void controlCharactersInANameAreEscaped() {
    String evil = "evil\nname\u001b[31m\t";
    try (Runner runner = Runner.create()) {
      runner.run(
          () -> {
            Async.spawn(evil, () -> leaf(new CountDownLatch(1)));
            Async.yieldNow();
          });
      TaskTree tree = TaskTree.capture(runner.loop());
      assertThat(tree.find(evil)).isPresent(); // the name itself is unchanged
      String shown = "evil\\nname\\u001b[31m\\t";
      List<String> ps = tree.formatPs().lines().toList();
      assertThat(ps).hasSize(2);
      assertThat(ps.get(1)).contains(" " + shown + "  waiting");
      List<String> lines = tree.formatTree().lines().toList();
      assertThat(lines.get(1)).isEqualTo("└── (T) " + shown + " #2 waiting");
      assertThat(lines.get(2)).contains("at io.jasyncio.Async.sleep(");
    }
  }

  @Test
  void closedLoopsAreLeftOut() {
    Runner runner = Runner.create();
    runner.close();
    TaskTree tree = TaskTree.capture(runner.loop());
    assertThat(tree.loops()).isEmpty();
    assertThat(tree.formatPs()).isEqualTo("no jasyncio event loops in this JVM\n");
    assertThat(tree.formatTree()).isEqualTo("no jasyncio event loops in this JVM\n");
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> TaskTree.capture((Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> TaskTree.capture(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> TaskTree.capture((io.jasyncio.EventLoop) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void theMBeanAnswersWithTheSameText() throws Exception {
    try (Runner runner = Runner.create()) {
      runner.run(() -> Async.spawn("visible-through-jmx", () -> leaf(new CountDownLatch(1))));
      // jasyncio registers its MBean once something (here the test) starts the platform server
      ManagementFactory.getPlatformMBeanServer();
      DebugSupport.mbeanRegistration().get(10, java.util.concurrent.TimeUnit.SECONDS);
      Object ps =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(new ObjectName(TaskTreeMXBean.OBJECT_NAME), "ps", null, null);
      Object tree =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(new ObjectName(TaskTreeMXBean.OBJECT_NAME), "pstree", null, null);
      assertThat((String) ps).contains("visible-through-jmx");
      assertThat((String) tree).contains("(T) visible-through-jmx");
    }
  }
}
