package io.jasyncio.pipeline;

/** What a {@link Pipeline} does when the function fails for an item. */
public enum ErrorPolicy {
  /**
   * The first failure cancels the items in flight, starts no more, and is thrown as itself (a
   * checked one wrapped in {@link io.jasyncio.AsyncException}) once they have ended.
   */
  FAIL_FAST,

  /**
   * Every item runs; the failures are kept in input order and thrown together as one {@link
   * io.jasyncio.ExceptionGroup} at the end ({@code mapSettled} returns them as {@link
   * io.jasyncio.Outcome}s instead).
   */
  COLLECT
}
