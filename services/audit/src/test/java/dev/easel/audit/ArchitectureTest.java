package dev.easel.audit;

import dev.easel.testing.ServiceArchitectureTest;

/** audit keeps the rules every service is held to. */
class ArchitectureTest extends ServiceArchitectureTest {}
