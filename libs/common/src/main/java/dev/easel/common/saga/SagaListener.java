package dev.easel.common.saga;

/**
 * Told of every transition the {@link SagaEngine} stores, inside the transaction that stores it: a
 * service keeps its own view of a saga's progress (a timeline, an aggregate's state, its own
 * events) in step with the saga, or not at all. A listener that throws rolls the transition back,
 * and the reply or deadline that caused it is tried again.
 *
 * <p>The transition's {@link Transition#events()} say what happened (a step completed, the saga
 * started compensating...); its {@link Transition#state()} holds the saga's data after it.
 */
@FunctionalInterface
public interface SagaListener {

  /**
   * @param definition the saga's definition
   * @param before where the saga stood before the transition
   * @param transition what was stored
   */
  void transitioned(SagaDefinition<?> definition, SagaStatus before, Transition transition);
}
