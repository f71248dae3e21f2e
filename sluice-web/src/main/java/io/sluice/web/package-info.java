/**
 * The web server: {@link io.sluice.web.WebServer} (Netty), its routing and token check; uses {@code http}, {@code api}
 * and {@code metrics}, which know nothing of Netty.
 */
package io.sluice.web;
