package dev.easel.packs;

import dev.easel.testing.ServiceArchitectureTest;

/** pack-manager keeps the rules every service is held to. */
class ArchitectureTest extends ServiceArchitectureTest {}
