package dev.easel.fixturebeta;

/** A fixture: a class of a second service. */
public class Other {}
