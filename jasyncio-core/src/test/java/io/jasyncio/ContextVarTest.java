package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ContextVarTest {
  private static final ContextVar<String> NAME = ContextVar.newInstance("name");
  private static final ContextVar<Integer> LEVEL = ContextVar.newInstance("level", 0);

  @Test
  void getReturnsTheDefaultOrThrowsWhenUnsetAndGetWithArgumentIgnoresTheDefault() {
    Async.run(
        () -> {
          assertThat(LEVEL.get()).isEqualTo(0);
          assertThat(LEVEL.get(7)).isEqualTo(7);
          assertThat(NAME.get(null)).isNull();
          assertThat(NAME.isSet()).isFalse();
          assertThatThrownBy(NAME::get)
              .isInstanceOf(NoSuchElementException.class)
              .hasMessageContaining("'name' is not set");
        });
  }

  @Test
  void aSpawnedTaskSeesACopyOfTheSpawnersContextAtSpawnTime() {
    List<String> events = new ArrayList<>();
    Async.run(
        () -> {
          Task<?> before = Async.spawn(() -> events.add("before: " + NAME.get("unset")));
          NAME.set("parent");
          Task<?> after =
              Async.spawn(
                  () -> {
                    events.add("after: " + NAME.get());
                    NAME.set("child");
                    events.add("child set: " + NAME.get());
                  });
          NAME.set("parent2");
          before.await();
          after.await();
          events.add("parent: " + NAME.get());
        });
    assertThat(events)
        .containsExactly("before: unset", "after: parent", "child set: child", "parent: parent2");
  }

  @Test
  void resetRestoresThePreviousValueOrUnsetsTheVariable() {
    Async.run(
        () -> {
          var t1 = NAME.set("a");
          assertThat(t1.hadValue()).isFalse();
          var t2 = NAME.set("b");
          assertThat(t2.oldValue()).isEqualTo("a");
          assertThat(t2.var()).isSameAs(NAME);
          NAME.reset(t2);
          assertThat(NAME.get()).isEqualTo("a");
          NAME.reset(t1);
          assertThat(NAME.isSet()).isFalse();
          assertThatThrownBy(t1::oldValue).isInstanceOf(NoSuchElementException.class);
        });
  }

  @Test
  void resetRejectsAUsedTokenAWrongVariableAndAnotherTasksToken() {
    ContextVar<String> other = ContextVar.newInstance("other");
    Async.run(
        () -> {
          var token = NAME.set("a");
          assertThatThrownBy(() -> other.reset(token))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("'name', not by 'other'");
          Task<Void> child =
              Async.spawn(
                  () -> {
                    assertThatThrownBy(() -> NAME.reset(token))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("different context");
                  });
          child.await();
          NAME.reset(token);
          assertThatThrownBy(() -> NAME.reset(token))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("already been used");
          assertThatThrownBy(() -> NAME.reset(null)).isInstanceOf(NullPointerException.class);
        });
  }

  @Test
  void aCallbackSeesTheContextCapturedWhenItWasScheduledAndItsSetStaysInside() {
    List<String> events = new ArrayList<>();
    Async.run(
        () -> {
          NAME.set("at schedule");
          Promise<Void> ran = Async.promise();
          Async.currentLoop()
              .callSoon(
                  () -> {
                    events.add("callback: " + NAME.get());
                    var token = NAME.set("in callback");
                    events.add("callback set: " + NAME.get());
                    NAME.reset(token);
                    NAME.set("again");
                    ran.complete(null);
                  });
          NAME.set("later");
          ran.await();
          events.add("task: " + NAME.get());
        });
    assertThat(events)
        .containsExactly("callback: at schedule", "callback set: in callback", "task: later");
  }

  @Test
  void outsideAnyLoopEachThreadHasItsOwnFallbackContextWhichAMainTaskCopies() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  var token = NAME.set("thread");
                  String inMain =
                      Async.run(
                          () -> {
                            String v = NAME.get();
                            NAME.set("main task");
                            return v;
                          });
                  seen.set(inMain + "/" + NAME.get());
                  NAME.reset(token);
                });
    t.join();
    assertThat(seen.get()).isEqualTo("thread/thread");
    assertThat(NAME.isSet()).isFalse();
  }

  @Test
  void badArgumentsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> ContextVar.newInstance(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> ContextVar.newInstance("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("defaultValue");
    assertThatThrownBy(() -> NAME.set(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
    assertThat(NAME.name()).isEqualTo("name");
  }
}
