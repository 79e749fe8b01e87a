// Generated from the backend's OpenAPI document by `npx nx run backend:api-types`: do not edit.
// The frontend takes its types from ./types.ts, which names the shapes below.

export interface paths {
    "/api/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account and start a session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        password: string;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description An account with this email already exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is larger than 1 MB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Too many sign-ups and logins at once: retry after the Retry-After seconds; or too many sign-ups from this address */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in and start a session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Wrong email or password */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is larger than 1 MB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Too many sign-ups and logins at once: retry after the Retry-After seconds; or too many attempts for this email, or from this address */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session: its token is refused from now on, on every replica */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete the account and all its data */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tasks/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tasks with filter, search, sort and pagination */
        get: {
            parameters: {
                query?: {
                    status?: "all" | "active" | "completed";
                    q?: string;
                    /** @description How important the task is */
                    priority?: "low" | "medium" | "high";
                    /** @description today, tomorrow, this_week (today and the next six days), overdue, or none */
                    due?: "today" | "tomorrow" | "this_week" | "overdue" | "none";
                    sort?: "created" | "updated" | "due" | "priority" | "title";
                    order?: "asc" | "desc";
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TaskPage"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a task */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Short title of the task, 1-200 characters */
                        title: string;
                        /** @description Optional longer notes */
                        description?: string | null;
                        /**
                         * @description How important the task is
                         * @enum {string}
                         */
                        priority?: "low" | "medium" | "high";
                        /**
                         * Format: date
                         * @description Due date as YYYY-MM-DD, or null for none
                         */
                        dueDate?: string | null;
                        /** @description Time of day on the due date as HH:MM (24-hour), or null for none */
                        dueTime?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Task"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is larger than 1 MB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a task */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Task"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No such resource (or it belongs to another account) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A path parameter is longer than 100 characters */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a task */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No such resource (or it belongs to another account) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A path parameter is longer than 100 characters */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a task */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Short title of the task, 1-200 characters */
                        title?: string;
                        /** @description Optional longer notes */
                        description?: string | null;
                        /**
                         * @description How important the task is
                         * @enum {string}
                         */
                        priority?: "low" | "medium" | "high";
                        /**
                         * Format: date
                         * @description Due date as YYYY-MM-DD, or null for none
                         */
                        dueDate?: string | null;
                        /** @description Time of day on the due date as HH:MM (24-hour), or null for none */
                        dueTime?: string | null;
                        completed?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Task"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No such resource (or it belongs to another account) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is larger than 1 MB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A path parameter is longer than 100 characters */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/tasks/{id}/toggle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Toggle completion */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Task"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No such resource (or it belongs to another account) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A path parameter is longer than 100 characters */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a message to the assistant
         * @description Starts a conversation when conversationId is omitted. The reply lists the task actions the assistant took.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        message: string;
                        conversationId?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChatReply"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is larger than 1 MB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description The body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List conversations, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConversationList"];
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A conversation with its messages */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConversationWithMessages"];
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No such resource (or it belongs to another account) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A path parameter is longer than 100 characters */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a conversation */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description The request is invalid: `details` names each field and what it expects */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No valid session: send the token as `Authorization: Bearer` or the cookie */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description No such resource (or it belongs to another account) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A path parameter is longer than 100 characters */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description A failure on the server: `details.requestId` identifies it in the logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
                /** @description Starting up or shutting down: retry after the Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A stable code, e.g. validation_error, not_found, rate_limited */
                            error: string;
                            /** @description What went wrong and what to do, for people */
                            message: string;
                            /** @description Per-field problems or other specifics; null when none */
                            details: unknown;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        User: {
            id: number;
            email: string;
            name: string | null;
            createdAt: string;
        };
        Session: {
            user: components["schemas"]["User"];
            token: string;
            expiresAt: string;
        };
        ToolAction: {
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
            ok: boolean;
            result: unknown;
        };
        ChatMessage: {
            id: number;
            /** @enum {string} */
            role: "user" | "assistant";
            content: string;
            actions: components["schemas"]["ToolAction"][];
            createdAt: string;
        };
        Conversation: {
            id: number;
            title: string;
            createdAt: string;
            updatedAt: string;
        };
        ConversationList: {
            items: components["schemas"]["Conversation"][];
        };
        ConversationWithMessages: {
            id: number;
            title: string;
            createdAt: string;
            updatedAt: string;
            messages: components["schemas"]["ChatMessage"][];
        };
        ChatReply: {
            conversationId: number;
            reply: string;
            actions: components["schemas"]["ToolAction"][];
            message: components["schemas"]["ChatMessage"];
        };
        Task: {
            /** @description The task's number for its owner (#1, #2...), never reused */
            id: number;
            title: string;
            description: string | null;
            /**
             * @description How important the task is
             * @enum {string}
             */
            priority: "low" | "medium" | "high";
            dueDate: string | null;
            /** @description HH:MM on the due date, or null */
            dueTime: string | null;
            completed: boolean;
            completedAt: string | null;
            createdAt: string;
            updatedAt: string;
        };
        TaskPage: {
            items: components["schemas"]["Task"][];
            total: number;
            limit: number;
            offset: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
