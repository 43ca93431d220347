package io.jasyncio.tools;

/** A failure the tool reports as one line, without a stack trace. */
final class ToolException extends Exception {
  private static final long serialVersionUID = 1L;

  ToolException(String message) {
    super(message);
  }

  ToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
