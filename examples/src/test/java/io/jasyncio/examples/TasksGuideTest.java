package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.examples.guide.TasksGuide;
import org.junit.jupiter.api.Test;

class TasksGuideTest {
  @Test
  void everySectionOfTheTasksGuideDoesWhatTheGuideSays() {
    assertThat(TasksGuide.spawnAndAwait()).containsExactly("a: ok", "b: ok");
    assertThat(TasksGuide.taskGroup()).containsExactly("x: ok", "y: ok", "z: ok");
    assertThat(TasksGuide.groupFailure()).isEqualTo("quota exceeded");
    assertThat(TasksGuide.cancel()).containsExactly("worker cleaned up", "worker was cancelled");
    assertThat(TasksGuide.timeouts())
        .containsExactly("timed out", "rescheduled: ok", "finished=false");
    assertThat(TasksGuide.firstCompleted()).isEqualTo("mirror2: ok");
    assertThat(TasksGuide.runner()).isEqualTo(42);
  }
}
