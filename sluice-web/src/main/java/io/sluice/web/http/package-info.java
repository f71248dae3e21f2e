/** The plain request, response and error types the routes use; nothing of Netty. */
package io.sluice.web.http;
