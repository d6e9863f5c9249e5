package org.ltxfleet.infra.demo;

import java.awt.Color;
import java.util.List;

/** A colour together with the word a caption uses for it. */
record NamedColor(String name, Color color) {

    /** Saturated object colours that stand out against the muted backgrounds. */
    static final List<NamedColor> OBJECT_COLORS = List.of(
            new NamedColor("red", new Color(230, 40, 40)),
            new NamedColor("green", new Color(40, 200, 70)),
            new NamedColor("blue", new Color(50, 110, 240)),
            new NamedColor("yellow", new Color(245, 215, 40)),
            new NamedColor("orange", new Color(250, 140, 30)),
            new NamedColor("purple", new Color(160, 60, 220)),
            new NamedColor("white", new Color(245, 245, 245)));

    /** Dark background tones, named for the caption; paired with a lighter shade for the gradient. */
    static final List<NamedColor> BACKGROUND_COLORS = List.of(
            new NamedColor("dark blue", new Color(20, 30, 70)),
            new NamedColor("dark teal", new Color(15, 60, 60)),
            new NamedColor("dark grey", new Color(45, 45, 50)),
            new NamedColor("dark brown", new Color(60, 40, 25)),
            new NamedColor("dark green", new Color(20, 55, 30)));
}
