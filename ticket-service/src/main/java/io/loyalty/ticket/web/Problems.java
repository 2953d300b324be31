package io.loyalty.ticket.web;

/** Where problem type URIs live; the suffix names the kind of problem. */
public final class Problems {

    public static final String TYPE_BASE = "https://loyalty.example/problems/";

    private Problems() {
    }

    public static String type(String slug) {
        return TYPE_BASE + slug;
    }
}
