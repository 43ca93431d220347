package io.jasyncio;

/**
 * What the loop passes to its {@link ExceptionHandler}: an error nobody else could handle.
 *
 * @param message what happened, for example "Task exception was never retrieved"
 * @param exception the error, or {@code null} when there is none (a warning)
 * @param task the task involved, or {@code null}
 */
public record ExceptionContext(String message, Throwable exception, Task<?> task) {
  /** Requires a message. */
  public ExceptionContext {
    java.util.Objects.requireNonNull(message, "message");
  }
}
