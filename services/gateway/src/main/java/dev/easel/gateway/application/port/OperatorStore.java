package dev.easel.gateway.application.port;

import dev.easel.gateway.domain.Operator;
import java.util.List;
import java.util.Optional;

/** Where operators are kept. */
public interface OperatorStore {

  Optional<Operator> find(String name);

  List<Operator> all();

  /**
   * @return false when the name is taken
   */
  boolean insert(Operator operator);

  void update(Operator operator);

  boolean delete(String name);

  long count();

  /** Active admins, for refusing to remove the last one. */
  long activeAdmins();

  /** Serialises changes that must see every operator, such as the first start's admin. */
  void lockAll();
}
