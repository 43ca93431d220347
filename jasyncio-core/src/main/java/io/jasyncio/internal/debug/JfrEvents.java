package io.jasyncio.internal.debug;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The flight recorder events of jasyncio, in category "jasyncio". SlowStep and UnhandledException
 * are on in every recording (they are rare and worth seeing); TaskSpawn is off by default. Each is
 * enabled or disabled like any JFR event ({@code jfr configure}, a {@code .jfc} file, {@code
 * Recording.enable("io.jasyncio.SlowStep")}). Callers check {@link EventType#isEnabled()} before
 * building one, so an event nobody records costs one field read.
 */
final class JfrEvents {
  private JfrEvents() {}

  static final EventType SPAWN = EventType.getEventType(TaskSpawn.class);
  static final EventType SLOW_STEP = EventType.getEventType(SlowStep.class);
  static final EventType UNHANDLED = EventType.getEventType(UnhandledException.class);

  /**
   * A task was spawned; the event's stack trace is where. Off unless a recording enables it: a
   * server may spawn many tasks a second.
   */
  @Name("io.jasyncio.TaskSpawn")
  @Enabled(false)
  @Label("Task Spawn")
  @Category("jasyncio")
  @Description("A jasyncio task was spawned; the stack trace shows where")
  static final class TaskSpawn extends Event {
    @Label("Loop Id")
    int loopId;

    @Label("Task Id")
    long taskId;

    @Label("Task Name")
    String taskName;

    @Label("Parent Task Id")
    @Description("The spawning task's id, 0 if spawned from outside a task")
    long parentId;
  }

  /** A task step ran longer than its loop's slow-step threshold without suspending. */
  @Name("io.jasyncio.SlowStep")
  @Label("Slow Task Step")
  @Category("jasyncio")
  @Description(
      "A jasyncio task ran longer than the slow-step threshold without suspending, blocking its"
          + " event loop")
  @StackTrace(false)
  static final class SlowStep extends Event {
    @Label("Loop Id")
    int loopId;

    @Label("Task Id")
    long taskId;

    @Label("Task Name")
    String taskName;

    @Label("Step Duration")
    @Timespan(Timespan.NANOSECONDS)
    long stepDuration;

    @Label("Blocking Stack")
    @Description("Where the task was while it blocked, sampled by the watchdog; empty if none")
    String blockingStack;
  }

  /** The loop passed an error to its exception handler. */
  @Name("io.jasyncio.UnhandledException")
  @Label("Unhandled Exception")
  @Category("jasyncio")
  @Description("A jasyncio loop passed an error nobody handled to its exception handler")
  @StackTrace(false)
  static final class UnhandledException extends Event {
    @Label("Loop Id")
    int loopId;

    @Label("Message")
    String message;

    @Label("Task Name")
    String taskName;

    @Label("Exception Class")
    String exceptionClass;

    @Label("Exception Message")
    String exceptionMessage;

    @Label("Exception Stack")
    String exceptionStack;
  }
}
