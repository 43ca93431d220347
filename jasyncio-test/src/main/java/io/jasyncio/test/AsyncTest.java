package io.jasyncio.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit test whose method body runs as the main task of a fresh virtual-time {@link TestLoop}.
 *
 * <pre>{@code
 * @AsyncTest(timeout = "PT10S")          // ten seconds of virtual time
 * void retriesWithBackoff(TestLoop loop) {
 *   ...                                  // call suspending APIs directly
 *   assertEquals(Duration.ofSeconds(7), loop.time());
 * }
 * }</pre>
 *
 * <p>Parameters of type {@link TestLoop} or {@link io.jasyncio.EventLoop} receive the loop. The
 * test fails when:
 *
 * <ul>
 *   <li>the body throws (as any test);
 *   <li>the body is still running when {@link #timeout()} of <em>virtual</em> time has passed: it
 *       is cancelled, and the failure message shows the task tree at the moment of expiry (each
 *       task's name, state, and the call it waits in with the user frames below it). Under autojump
 *       a deadlock (everybody waiting, nothing scheduled) reaches the timeout at once;
 *   <li>tasks spawned by the body are still pending when it returns and do not end once the work
 *       already ready has run, with no virtual time passing (a task cancelled at the end of the
 *       body may unwind): they leaked. The message lists them; they are then cancelled. Switch this
 *       off with {@link #allowLeakedTasks()};
 *   <li>the loop's exception handler received an error: a callback threw, or a task failed and
 *       nobody retrieved its exception.
 * </ul>
 *
 * <p><b>Schedule exploration.</b> With {@link #seeds()} {@code = K} the method runs K times, under
 * seeds 0 to K-1 (see {@link Explore}), each on a fresh loop but on the same test instance
 * ({@code @BeforeEach} runs once, so keep per-run state in local variables). The first failing seed
 * fails the test with a message naming it; {@link #seed()} or the system property {@value
 * Explore#SEED_PROPERTY} replays it.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(AsyncTestExtension.class)
public @interface AsyncTest {
  /**
   * The virtual time the body may take, as an ISO-8601 duration ({@code "PT10S"}); empty for none.
   * Default one day. Under autojump a deadlock reaches any timeout at once, so the default only
   * bounds runaway virtual time.
   *
   * @return the timeout
   */
  String timeout() default "P1D";

  /**
   * Whether virtual time jumps to the next timer when the loop is idle (default), or moves only
   * through {@link TestLoop#advanceBy}.
   *
   * @return the mode
   */
  boolean autojump() default true;

  /**
   * Real time the loop must stay idle before each autojump, as an ISO-8601 duration (default zero).
   * Give tests that wait on real threads or I/O while timers are pending some, for example {@code
   * "PT0.2S"}.
   *
   * @return the threshold
   */
  String autojumpThreshold() default "PT0S";

  /**
   * Runs the body under this many exploration seeds (0 = once, in FIFO order).
   *
   * @return the number of seeds
   */
  int seeds() default 0;

  /**
   * Runs the body once under this exploration seed (a decimal {@code long}); empty for none.
   * Overridden by the system property {@value Explore#SEED_PROPERTY}.
   *
   * @return the seed
   */
  String seed() default "";

  /**
   * Lets the body return while tasks it spawned are still pending; they are cancelled without
   * failing the test.
   *
   * @return whether leaked tasks are allowed
   */
  boolean allowLeakedTasks() default false;
}
