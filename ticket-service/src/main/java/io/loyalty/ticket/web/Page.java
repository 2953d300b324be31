package io.loyalty.ticket.web;

import java.util.List;

public record Page<T>(List<T> items, String nextCursor) {
}
