package dev.easel.contracts;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps each contract record to its wire type and back. Built once at start-up; a duplicate type, a
 * malformed type or a class without {@link Contract} fails fast rather than at the first message.
 */
public final class ContractRegistry {

  private final Map<Class<?>, String> typeByClass;
  private final Map<String, Class<?>> classByType;

  private ContractRegistry(Map<Class<?>, String> typeByClass, Map<String, Class<?>> classByType) {
    this.typeByClass = Collections.unmodifiableMap(typeByClass);
    this.classByType = Collections.unmodifiableMap(classByType);
  }

  /** A registry of the given contract records. */
  public static ContractRegistry of(Collection<Class<?>> contracts) {
    Map<Class<?>, String> byClass = new LinkedHashMap<>();
    Map<String, Class<?>> byType = new LinkedHashMap<>();
    for (Class<?> c : contracts) {
      Contract contract = c.getAnnotation(Contract.class);
      if (contract == null) {
        throw new IllegalArgumentException(c.getName() + " has no @Contract annotation");
      }
      if (!c.isRecord()) {
        throw new IllegalArgumentException(c.getName() + " must be a record");
      }
      String type = ContractType.parse(contract.value()).toString();
      Class<?> previous = byType.putIfAbsent(type, c);
      if (previous != null && previous != c) {
        throw new IllegalArgumentException(
            "type " + type + " is declared by both " + previous.getName() + " and " + c.getName());
      }
      byClass.put(c, type);
    }
    return new ContractRegistry(byClass, byType);
  }

  /** Every contract Easel ships, plus the given extra ones (tests and benchmarks add their own). */
  public static ContractRegistry withShipped(Collection<Class<?>> extra) {
    List<Class<?>> all = new java.util.ArrayList<>(EaselContracts.ALL);
    for (Class<?> c : extra) {
      if (!all.contains(c)) {
        all.add(c);
      }
    }
    return of(all);
  }

  /** The wire type of a contract record. */
  public String typeOf(Class<?> contract) {
    String type = typeByClass.get(contract);
    if (type == null) {
      throw new IllegalArgumentException(contract.getName() + " is not a registered contract");
    }
    return type;
  }

  /** The record for a wire type; empty for a type this service does not know, which it ignores. */
  public Optional<Class<?>> classOf(String type) {
    return Optional.ofNullable(classByType.get(type));
  }

  /** The contract kind of a registered record. */
  public Contract.Kind kindOf(Class<?> contract) {
    typeOf(contract);
    return contract.getAnnotation(Contract.class).kind();
  }

  public boolean isRegistered(Class<?> contract) {
    return typeByClass.containsKey(contract);
  }

  /** All registered records, in registration order. */
  public Collection<Class<?>> contracts() {
    return typeByClass.keySet();
  }
}
