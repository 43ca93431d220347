package io.jasyncio.tools;

/** A failure the tool reports as one line, without a stack trace, and its exit status. */
final class ToolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Exit status of a failure to answer (no such process, no loop, ...). */
  static final int FAILED = 1;

  /** Exit status of a usage error (a malformed argument). */
  static final int USAGE = 2;

  private final int status;

  ToolException(String message) {
    this(message, FAILED);
  }

  ToolException(String message, int status) {
    super(message);
    this.status = status;
  }

  ToolException(String message, Throwable cause) {
    super(message, cause);
    this.status = FAILED;
  }

  /** The exit status the tool ends with. */
  int status() {
    return status;
  }
}
