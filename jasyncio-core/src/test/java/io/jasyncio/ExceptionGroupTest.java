package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionGroupTest {
  private final IOException io = new IOException("io");
  private final IllegalStateException ise = new IllegalStateException("ise");
  private final IllegalArgumentException iae = new IllegalArgumentException("iae");
  private final ExceptionGroup nested =
      new ExceptionGroup("outer", List.of(io, new ExceptionGroup("inner", List.of(ise, iae))));

  @Test
  void findAndContainsSearchTheLeavesDepthFirst() {
    assertThat(nested.find(IllegalArgumentException.class)).containsSame(iae);
    assertThat(nested.find(RuntimeException.class)).containsSame(ise);
    assertThat(nested.contains(IOException.class)).isTrue();
    assertThat(nested.contains(UnsupportedOperationException.class)).isFalse();
    assertThat(nested.leaves()).containsExactly(io, ise, iae);
  }

  @Test
  void splitKeepsTheNestingOnBothSides() {
    ExceptionGroup.Split s = nested.split(IllegalArgumentException.class);
    ExceptionGroup match = s.matching().orElseThrow();
    ExceptionGroup rest = s.rest().orElseThrow();
    assertThat(match.exceptions()).hasSize(1);
    assertThat(((ExceptionGroup) match.exceptions().get(0)).exceptions()).containsExactly(iae);
    assertThat(rest.exceptions().get(0)).isSameAs(io);
    assertThat(((ExceptionGroup) rest.exceptions().get(1)).exceptions()).containsExactly(ise);
    // A group is itself a RuntimeException, so the condition matches it whole (as in Python).
    assertThat(nested.split(RuntimeException.class).matching()).containsSame(nested);
    assertThat(nested.subgroup(e -> e == iae).orElseThrow().leaves()).containsExactly(iae);
    assertThat(nested.split(Error.class).matching()).isEmpty();
    assertThat(nested.split(Throwable.class).matching()).containsSame(nested);
  }

  @Test
  void aGroupNeedsAtLeastOneNonNullException() {
    assertThatThrownBy(() -> new ExceptionGroup("x", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExceptionGroup(null, List.of(io)))
        .isInstanceOf(NullPointerException.class);
    assertThat(nested.getSuppressed()).hasSize(2);
    assertThat(nested.getMessage()).isEqualTo("outer (2 sub-exceptions)");
  }
}
