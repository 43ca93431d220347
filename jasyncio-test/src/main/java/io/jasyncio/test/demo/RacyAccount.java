package io.jasyncio.test.demo;

import io.jasyncio.Async;

/**
 * A deliberately racy bank account: {@link #withdraw} checks the balance, suspends (to write an
 * audit record, say), then subtracts, so two withdrawals can both pass the check.
 */
public final class RacyAccount {
  private int balance;

  /**
   * An account holding {@code balance}.
   *
   * @param balance the opening balance
   */
  public RacyAccount(int balance) {
    this.balance = balance;
  }

  /**
   * <b>Suspends</b> once between the check and the act: the bug.
   *
   * @param amount what to take
   * @return whether the withdrawal was accepted
   */
  public boolean withdraw(int amount) {
    if (balance < amount) {
      return false;
    }
    Async.yieldNow(); // e.g. await an audit-log write; other tasks run here
    balance -= amount;
    return true;
  }

  /** The balance. */
  public int balance() {
    return balance;
  }

  /**
   * Two withdrawals of 80 from 100; the second request arrives one step after the first. Under FIFO
   * order the first completes before the second checks; other orders let both pass.
   *
   * @return the final balance
   */
  public static int twoWithdrawals() {
    RacyAccount account = new RacyAccount(100);
    Async.taskGroup(
        g -> {
          g.spawn("withdraw A", () -> account.withdraw(80));
          Async.yieldNow(); // the second request comes a moment later
          g.spawn("withdraw B", () -> account.withdraw(80));
        });
    return account.balance();
  }

  /**
   * {@link #twoWithdrawals} with the invariant checked.
   *
   * @throws AssertionError if the balance went negative
   */
  public static void checkTwoWithdrawals() {
    int balance = twoWithdrawals();
    if (balance < 0) {
      throw new AssertionError("balance went negative: " + balance);
    }
  }
}
