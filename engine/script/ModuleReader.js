// What swarm reads from a protocol module, over acorn's syntax tree. Evaluated once in the scratch
// engine that checks modules (AcornEngine), after acorn; never in the engines that run the load.
// Called as read(source); returns plain data that ProtocolSourceReader turns into commands and
// diagnostics. Positions are offsets into the source (UTF-16 code units).
(function (acorn, preludeFactory) {
    'use strict';

    const MAX_PROBLEMS = 20; // past a few, the rest are echoes of the first
    const MAX_DEPTH = 1000; // V4 stops acorn's recursion long before (about 150 nested parentheses)

    // The names `client` and `swarm` have, read from the prelude itself (run here with a
    // stand-in for its native half), so the list follows the prelude as it grows.
    function apiNames() {
        const stub = new Proxy({}, { get: () => function () { return 0; } });
        const api = preludeFactory(stub);
        const own = o => Object.getOwnPropertyNames(o).filter(n => n !== 'toString');
        return { client: own(api.client), swarm: own(api.swarm), agent: own(api.swarm.agent),
                 inherited: Object.getOwnPropertyNames(Object.prototype) };
    }
    const API = apiNames();

    // `yield x` in a function without `*`: acorn would read `yield` as a name and stop at `x`
    // with "Unexpected token". Parsed as the yield it was meant to be, the reader can say which
    // function lacks its `*`. Only where `yield` is followed, on its line, by what starts an
    // operand and could not follow a variable named yield.
    function yieldsOperand(input, end) {
        const rest = /^(?:[ \t\v\f\u00a0\ufeff]|\/\*(?:[^*\r\n\u2028\u2029]|\*(?!\/))*\*\/)*/
            .exec(input.slice(end, end + 200));
        const at = end + (rest ? rest[0].length : 0);
        if (at >= input.length) return false;
        const c = input.codePointAt(at);
        return acorn.isIdentifierStart(c, true) || /[$_\\0-9'"`(\[{*]/.test(input[at]);
    }
    const Parser = acorn.Parser.extend(Base => class extends Base {
        // Qt 6.4's V4 compiles acorn's `return prop.key = ... ? this.parseExprAtom() : this.parseIdent()`
        // (strict code) as a tail call that skips the assignment: object literals lost their keys.
        parsePropertyName(prop, refDestructuringErrors) {
            const key = super.parsePropertyName(prop, refDestructuringErrors);
            prop.key = key;
            return key;
        }

        parseMaybeAssign(forInit, refDestructuringErrors, afterLeftParse) {
            if (this.isContextual('yield') && this.inFunction && !this.inGenerator
                && yieldsOperand(this.input, this.end))
                return this.parseYield(forInit);
            return super.parseMaybeAssign(forInit, refDestructuringErrors, afterLeftParse);
        }
    });
    const OPTIONS = { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true,
                      allowReturnOutsideFunction: false };

    // ---- syntax errors: acorn's message, in swarm's words where ours said more ------------

    function problem(pos, message) { return { pos: pos, message: message }; }

    function tokenText(source, pos) {
        if (pos >= source.length) return null;
        let end = pos;
        while (end < source.length && end < pos + 40 && acorn.isIdentifierChar(source.codePointAt(end), true))
            end += source.codePointAt(end) > 0xffff ? 2 : 1;
        return end > pos ? source.slice(pos, end) : String.fromCodePoint(source.codePointAt(pos));
    }

    function translate(source, e, openTemplate) {
        const message = String(e.message).replace(/ \(\d+:\d+\)$/, '');
        const pos = typeof e.pos === 'number' ? e.pos : 0;
        if (message === 'Unexpected token') {
            const t = tokenText(source, pos);
            return problem(pos, t === null ? 'unexpected end of the file: something is missing'
                                           : "unexpected '" + t + "'");
        }
        if (message === 'Unterminated string constant')
            return problem(pos, 'unterminated string: the line ends before its closing ' + source[pos]);
        if (message === 'Unterminated template' || message === 'Unterminated template literal')
            return problem(openTemplate >= 0 ? openTemplate : pos,
                           'unterminated template literal: its closing ` is missing');
        if (message === 'Unterminated comment')
            return problem(pos, "unterminated comment: '/*' is never closed");
        if (message === 'Unterminated regular expression')
            return problem(pos, 'unterminated regular expression: the line ends before its closing /');
        return problem(pos, message.charAt(0).toLowerCase() + message.slice(1));
    }

    const OPENERS = { '(': ')', '[': ']', '{': '}', '${': '}' };
    const CLOSERS = { ')': '(', ']': '[', '}': '{' };

    // Brackets, with acorn's tokenizer (which knows strings, templates, regular expressions
    // and comments): what acorn reports as "Unexpected token" is often a bracket opened or
    // closed lines earlier, which this names. Iterative: any depth costs constant stack.
    function bracketProblems(source) {
        const problems = [];
        const stack = [];
        const report = (pos, message) => { if (problems.length < MAX_PROBLEMS) problems.push(problem(pos, message)); };
        const where = pos => { const l = lineColumn(source, pos); return l.line + ':' + l.column; };
        let templates = []; // open template literals, by the position of their backquote
        let depth = 0, deepest = 0, deepestAt = 0;
        try {
            const tokens = Parser.tokenizer(source, OPTIONS);
            for (;;) {
                const t = tokens.getToken();
                const label = t.type.label;
                if (label === 'eof' || problems.length >= MAX_PROBLEMS) break;
                if (label === '`') {
                    if (templates.length && templates[templates.length - 1].depth === stack.length)
                        templates.pop();
                    else
                        templates.push({ pos: t.start, depth: stack.length });
                } else if (OPENERS[label]) {
                    stack.push({ kind: label, pos: t.start });
                    if (stack.length > MAX_DEPTH) {
                        report(t.start, 'nested more than ' + MAX_DEPTH + ' brackets deep: too deep to read; split this into functions');
                        return { problems: problems, deepest: stack.length, deepestAt: t.start };
                    }
                    if (stack.length > deepest) { deepest = stack.length; deepestAt = t.start; }
                } else if (CLOSERS[label]) {
                    const opener = CLOSERS[label];
                    const matches = k => k === opener || (label === '}' && k === '${');
                    if (!stack.some(o => matches(o.kind))) {
                        report(t.start, "unexpected '" + label + "': nothing to close");
                        continue;
                    }
                    if (!matches(stack[stack.length - 1].kind)) {
                        const inner = stack[stack.length - 1];
                        if (problems.length < MAX_PROBLEMS) // where() reads the text from its start
                            report(t.start, "'" + label + "' does not match '" + inner.kind + "' opened at " + where(inner.pos));
                        while (!matches(stack[stack.length - 1].kind)) stack.pop();
                    }
                    stack.pop();
                }
            }
        } catch (e) {
            if (!(e instanceof SyntaxError)) return { problems: problems, deepest: deepest, deepestAt: deepestAt };
            const open = templates.length ? templates[templates.length - 1].pos : -1;
            const p = translate(source, e, open);
            report(p.pos, p.message);
            return { problems: problems, deepest: deepest, deepestAt: deepestAt };
        }
        for (const o of stack) {
            report(o.pos, o.kind === '${' ? "unterminated template literal: its '${' is never closed"
                                          : "'" + o.kind + "' is never closed");
        }
        return { problems: problems, deepest: deepest, deepestAt: deepestAt };
    }

    function lineColumn(source, pos) {
        let line = 1, start = 0;
        const re = /\r\n?|[\n\u2028\u2029]/g;
        let m;
        while ((m = re.exec(source)) && m.index < pos) { ++line; start = m.index + m[0].length; }
        return { line: line, column: pos - start + 1 };
    }

    function syntaxProblems(source, e) {
        const brackets = bracketProblems(source);
        if (brackets.problems.length) return brackets.problems;
        if (!(e instanceof SyntaxError)) {
            // V4 stops deep recursion (acorn descends once per nested bracket or statement).
            return [problem(brackets.deepestAt, 'nested too deeply to read (' + brackets.deepest
                            + ' levels of brackets): split this into functions')];
        }
        return [translate(source, e, -1)];
    }

    // ---- the syntax tree --------------------------------------------------------------------

    const isFunction = n => n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression'
                                  || n.type === 'ArrowFunctionExpression');

    function params(fn) {
        return fn.params.map(p => {
            if (p.type === 'RestElement') return { name: p.argument.type === 'Identifier' ? p.argument.name : '', rest: true };
            if (p.type === 'AssignmentPattern')
                return { name: p.left.type === 'Identifier' ? p.left.name : '', def: true };
            return { name: p.type === 'Identifier' ? p.name : '' };
        });
    }

    function valueKind(init) {
        if (!init) return 'undefined';
        switch (init.type) {
        case 'Literal':
            if (init.regex) return 'a regular expression';
            return init.value === null ? 'null' : 'a ' + typeof init.value;
        case 'TemplateLiteral': return 'a string';
        case 'ObjectExpression': return 'an object';
        case 'ArrayExpression': return 'an array';
        case 'ClassExpression': return 'a class';
        case 'NewExpression': return 'an object';
        case 'CallExpression': return 'the result of a call';
        default: return 'a value';
        }
    }

    // Walks the tree once: top-level functions and values, and what the checks need.
    class Walker {
        constructor(source) {
            this.source = source;
            this.functions = []; // top-level functions, commands and helpers, in source order
            this.values = []; // other top-level names
            this.findings = [];
            this.records = new Map(); // top-level function node -> its entry of this.functions
            this.swarmShadowed = false;
        }

        module(ast) {
            for (const s of ast.body) this.topLevel(s);
            const top = { fn: null, name: '', client: null, pending: new Map(), used: null, parent: null };
            this.visit(ast, top, null);
            return { problems: [], functions: this.functions, values: this.values, findings: this.findings };
        }

        topLevel(s) {
            if (s.type === 'FunctionDeclaration') {
                // `async function f`: where `function` is, as for any declaration.
                const at = s.async ? this.source.indexOf('function', s.start + 5) : s.start;
                this.addFunction(s.id.name, at, s);
            } else if (s.type === 'VariableDeclaration') {
                s.declarations.forEach((d, i) => {
                    if (d.id.type !== 'Identifier') return;
                    if (d.id.name === 'swarm') this.swarmShadowed = true;
                    if (isFunction(d.init))
                        this.addFunction(d.id.name, i === 0 ? s.start : d.id.start, d.init);
                    else
                        this.values.push({ name: d.id.name, pos: d.id.start, kind: valueKind(d.init) });
                });
            } else if (s.type === 'ClassDeclaration') {
                this.values.push({ name: s.id.name, pos: s.id.start, kind: 'a class' });
            }
        }

        addFunction(name, pos, fn) {
            if (name === 'swarm') this.swarmShadowed = true;
            const entry = { name: name, pos: pos, generator: !!fn.generator, params: params(fn), unused: [] };
            // A later declaration of the same name replaces the earlier one, as in JavaScript.
            const i = this.functions.findIndex(f => f.name === name);
            if (i >= 0) this.functions[i] = entry;
            else this.functions.push(entry);
            this.records.set(fn, entry);
        }

        find(kind, pos, ctx, more) {
            if (this.findings.length >= 2 * MAX_PROBLEMS) return;
            const f = { kind: kind, pos: pos, fn: ctx.name, generator: !!(ctx.fn && ctx.fn.generator),
                        arrow: !!(ctx.fn && ctx.fn.type === 'ArrowFunctionExpression') };
            this.findings.push(Object.assign(f, more));
        }

        // `client.send_for_reply(...)` or `client.recv(...)` not yielded: which of the two.
        pendingCall(e, ctx) {
            if (!e || e.type !== 'CallExpression' || !ctx.client) return null;
            const m = e.callee;
            if (m.type !== 'MemberExpression' || m.computed || m.object.type !== 'Identifier'
                || m.object.name !== ctx.client)
                return null;
            const name = m.property.name;
            return name === 'send_for_reply' || name === 'recv' ? name : null;
        }

        isClose(s, ctx) {
            if (s.type !== 'ExpressionStatement') return false;
            const e = s.expression.type === 'YieldExpression' ? s.expression.argument : s.expression;
            return !!e && e.type === 'CallExpression' && e.callee.type === 'MemberExpression'
                && !e.callee.computed && e.callee.object.type === 'Identifier'
                && e.callee.object.name === ctx.client && e.callee.property.name === 'close_connection';
        }

        statements(list, ctx) {
            const harmless = s => s.type === 'FunctionDeclaration' || s.type === 'EmptyStatement'
                || s.type === 'BreakStatement' || (s.type === 'ReturnStatement' && !s.argument);
            for (let i = 0; i < list.length; ++i) {
                if (!ctx.client || !this.isClose(list[i], ctx)) continue;
                const next = list.slice(i + 1).find(s => !harmless(s));
                if (next) this.find('unreachable', next.start, ctx, { related: list[i].start });
                return;
            }
        }

        // `swarm.agent`, the global's (not a local named swarm).
        isSwarmAgent(node) {
            return node.type === 'MemberExpression' && !node.computed && !this.swarmShadowed
                && node.object.type === 'Identifier' && node.object.name === 'swarm'
                && node.property.name === 'agent';
        }

        member(node, ctx, isCall) {
            if (node.computed) return;
            const obj = node.object;
            const name = node.property.name;
            const known = list => list.includes(name) || API.inherited.includes(name);
            if (obj.type === 'Identifier') {
                if (obj.name === ctx.client && !known(API.client))
                    this.find('member', node.property.start, ctx, { object: obj.name, name: name, call: isCall, candidates: API.client });
                else if (obj.name === 'swarm' && !this.swarmShadowed && !known(API.swarm))
                    this.find('member', node.property.start, ctx, { object: 'swarm', name: name, call: isCall, candidates: API.swarm });
                const p = ctx.pending.get(obj.name);
                if (p)
                    this.find('unyielded', node.start, ctx, { object: obj.name, name: name, method: p.method, related: p.pos });
            } else {
                if (this.isSwarmAgent(obj) && !known(API.agent))
                    this.find('member', node.property.start, ctx, { object: 'swarm.agent', name: name, call: isCall, candidates: API.agent });
                const method = this.pendingCall(obj, ctx);
                if (method)
                    this.find('unyielded', node.property.start, ctx, { object: '', name: name, method: method, related: obj.start });
            }
        }

        visitFunction(fn, ctx, hint) {
            const entry = this.records.get(fn);
            const names = new Set();
            for (const p of fn.params) {
                const id = p.type === 'AssignmentPattern' ? p.left : p.type === 'RestElement' ? p.argument : p;
                if (id.type === 'Identifier') names.add(id.name);
            }
            // The first parameter of a top-level generator is the client, and so is a parameter
            // called `client`. A plain top-level function may also be a custom reply parser
            // (`function line(bytes)`), whose first parameter is bytes: only by name there.
            let client = null;
            if (entry && !entry.name.startsWith('_') && fn.generator)
                client = fn.params.length && fn.params[0].type === 'Identifier' ? fn.params[0].name : null;
            else if (names.has('client')) client = 'client';
            else if (ctx.client && !names.has(ctx.client)) client = ctx.client;
            const inner = { fn: fn, name: entry ? entry.name : fn.id ? fn.id.name : hint || '', client: client,
                            pending: new Map(), used: entry ? new Set() : null, parent: ctx };
            for (const p of fn.params)
                if (p.type === 'AssignmentPattern') this.visit(p.right, inner, p);
            this.visit(fn.body, inner, fn);
            if (!entry || inner.used.has('arguments')) return;
            entry.unused = entry.params.slice(1).filter(p => p.name && !p.rest && !inner.used.has(p.name))
                .map(p => p.name);
        }

        visit(node, ctx, parent) {
            switch (node.type) {
            case 'FunctionDeclaration':
            case 'FunctionExpression':
            case 'ArrowFunctionExpression': {
                const hint = parent && parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier'
                    ? parent.id.name : parent && parent.type === 'Property' && !parent.computed ? parent.key.name : '';
                this.visitFunction(node, ctx, hint);
                return;
            }
            case 'Identifier':
                for (let c = ctx; c; c = c.parent)
                    if (c.used) c.used.add(node.name);
                return;
            case 'MemberExpression':
                this.member(node, ctx, !!parent && parent.type === 'CallExpression' && parent.callee === node);
                this.visit(node.object, ctx, node);
                if (node.computed) this.visit(node.property, ctx, node);
                return;
            case 'Property':
            case 'MethodDefinition':
            case 'PropertyDefinition':
                if (node.computed) this.visit(node.key, ctx, node);
                if (node.value) this.visit(node.value, ctx, node);
                return;
            case 'LabeledStatement':
                this.visit(node.body, ctx, node);
                return;
            case 'BreakStatement':
            case 'ContinueStatement':
                return;
            case 'YieldExpression':
                if (ctx.fn && !ctx.fn.generator) this.find('yield', node.start, ctx, { related: ctx.fn.start });
                break;
            case 'VariableDeclarator':
            case 'AssignmentExpression': {
                const target = node.type === 'VariableDeclarator' ? node.id : node.left;
                if (target.type === 'Identifier') {
                    const method = this.pendingCall(node.type === 'VariableDeclarator' ? node.init : node.right, ctx);
                    if (method) ctx.pending.set(target.name, { method: method, pos: target.start });
                    else ctx.pending.delete(target.name);
                }
                break;
            }
            case 'Program':
            case 'BlockStatement':
            case 'StaticBlock':
                this.statements(node.body, ctx);
                break;
            case 'SwitchCase':
                this.statements(node.consequent, ctx);
                break;
            }
            for (const key in node) {
                const v = node[key];
                if (v === null || typeof v !== 'object' || key === 'regex') continue;
                if (Array.isArray(v)) {
                    for (const c of v)
                        if (c && typeof c.type === 'string') this.visit(c, ctx, node);
                } else if (typeof v.type === 'string') {
                    this.visit(v, ctx, node);
                }
            }
        }
    }

    return function read(source) {
        let ast;
        try {
            ast = Parser.parse(source, OPTIONS);
        } catch (e) {
            return { problems: syntaxProblems(source, e), functions: [], values: [], findings: [] };
        }
        try {
            return new Walker(source).module(ast);
        } catch (e) {
            // A chain of 50,000 tagged templates is valid, and deeper than V4 lets the walk go.
            return { problems: [problem(0, 'nested too deeply to check: ' + String(e))],
                     functions: [], values: [], findings: [] };
        }
    };
})
