package ui

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The lesson's prose is Markdown, rendered here as go-app elements: headings, paragraphs,
// lists, block quotes, code blocks, and inline code, emphasis, strong emphasis and links.
// Everything is text: HTML in a lesson shows as written, and links go only to http and
// https addresses. It is the subset the lessons use, not CommonMark.

// mdBlock is a block of Markdown, parsed.
type mdBlock struct {
	kind  string // h1..h6, p, ul, ol, quote, code
	text  string // heading and paragraph text; code content
	items []string
	inner []mdBlock // a block quote's content
}

var (
	mdHeading = regexp.MustCompile(`^(#{1,6})[ \t]+(.*?)[ \t#]*$`)
	mdBullet  = regexp.MustCompile(`^[ ]{0,3}[-*+][ \t]+(.*)$`)
	mdOrdered = regexp.MustCompile(`^[ ]{0,3}[0-9]{1,9}[.)][ \t]+(.*)$`)
	mdFence   = regexp.MustCompile("^[ ]{0,3}(```+|~~~+)")
	mdQuote   = regexp.MustCompile(`^[ ]{0,3}>[ ]?(.*)$`)
)

// parseMarkdown splits Markdown text into blocks.
func parseMarkdown(src string) []mdBlock {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var blocks []mdBlock
	for i := 0; i < len(lines); {
		line := lines[i]
		switch {
		case strings.TrimSpace(line) == "":
			i++
		case mdFence.MatchString(line):
			fence := mdFence.FindStringSubmatch(line)[1]
			var body []string
			i++
			for i < len(lines) && !strings.HasPrefix(strings.TrimLeft(lines[i], " "), fence) {
				body = append(body, lines[i])
				i++
			}
			i++ // the closing fence
			blocks = append(blocks, mdBlock{kind: "code", text: strings.Join(body, "\n")})
		case mdHeading.MatchString(line):
			m := mdHeading.FindStringSubmatch(line)
			blocks = append(blocks, mdBlock{kind: "h" + string(rune('0'+len(m[1]))), text: m[2]})
			i++
		case mdQuote.MatchString(line):
			var body []string
			for i < len(lines) && mdQuote.MatchString(lines[i]) {
				body = append(body, mdQuote.FindStringSubmatch(lines[i])[1])
				i++
			}
			blocks = append(blocks, mdBlock{kind: "quote", inner: parseMarkdown(strings.Join(body, "\n"))})
		case mdBullet.MatchString(line) || mdOrdered.MatchString(line):
			re, kind := mdBullet, "ul"
			if !mdBullet.MatchString(line) {
				re, kind = mdOrdered, "ol"
			}
			b := mdBlock{kind: kind}
			for i < len(lines) {
				l := lines[i]
				if m := re.FindStringSubmatch(l); m != nil {
					b.items = append(b.items, m[1])
				} else if strings.TrimSpace(l) != "" && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(b.items) > 0 {
					b.items[len(b.items)-1] += " " + strings.TrimSpace(l)
				} else if strings.TrimSpace(l) == "" && i+1 < len(lines) && re.MatchString(lines[i+1]) {
					// a loose list: the blank line between items
				} else {
					break
				}
				i++
			}
			blocks = append(blocks, b)
		default:
			var para []string
			for i < len(lines) {
				l := lines[i]
				if strings.TrimSpace(l) == "" || mdFence.MatchString(l) || mdHeading.MatchString(l) || mdQuote.MatchString(l) || len(para) > 0 && (mdBullet.MatchString(l) || mdOrdered.MatchString(l)) {
					break
				}
				para = append(para, strings.TrimSpace(l))
				i++
			}
			if len(para) == 0 { // cannot happen, but never loop forever
				i++
				continue
			}
			blocks = append(blocks, mdBlock{kind: "p", text: strings.Join(para, "\n")})
		}
	}
	return blocks
}

// renderMarkdown renders Markdown text as elements.
func renderMarkdown(src string) []app.UI {
	return renderBlocks(parseMarkdown(src))
}

func renderBlocks(blocks []mdBlock) []app.UI {
	out := make([]app.UI, 0, len(blocks))
	for _, b := range blocks {
		switch b.kind {
		case "h1":
			out = append(out, app.H1().Body(renderInline(b.text)...))
		case "h2":
			out = append(out, app.H2().Body(renderInline(b.text)...))
		case "h3":
			out = append(out, app.H3().Body(renderInline(b.text)...))
		case "h4":
			out = append(out, app.H4().Body(renderInline(b.text)...))
		case "h5":
			out = append(out, app.H5().Body(renderInline(b.text)...))
		case "h6":
			out = append(out, app.H6().Body(renderInline(b.text)...))
		case "p":
			out = append(out, app.P().Body(renderInline(b.text)...))
		case "code":
			out = append(out, app.Pre().Class("lesson-code").Body(app.Code().Text(b.text)))
		case "quote":
			out = append(out, app.Blockquote().Body(renderBlocks(b.inner)...))
		case "ul", "ol":
			items := make([]app.UI, len(b.items))
			for i, it := range b.items {
				items[i] = app.Li().Body(renderInline(it)...)
			}
			if b.kind == "ul" {
				out = append(out, app.Ul().Body(items...))
			} else {
				out = append(out, app.Ol().Body(items...))
			}
		}
	}
	return out
}

// renderInline renders a paragraph's text: `code`, **strong**, *em* or _em_, [text](url),
// and backslash escapes; everything else is text.
func renderInline(s string) []app.UI {
	var out []app.UI
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, app.Text(text.String()))
			text.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_[]()#+-.!<>", s[i+1]) >= 0:
			text.WriteByte(s[i+1])
			i += 2
			continue
		case c == '`':
			n := 1
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			ticks := s[i : i+n]
			if end := strings.Index(s[i+n:], ticks); end >= 0 {
				flush()
				code := s[i+n : i+n+end]
				if t := strings.TrimSpace(code); t != "" && len(code) > 1 && code[0] == ' ' && code[len(code)-1] == ' ' {
					code = code[1 : len(code)-1]
				}
				out = append(out, app.Code().Text(strings.ReplaceAll(code, "\n", " ")))
				i += n + end + n
				continue
			}
			text.WriteString(ticks)
			i += n
			continue
		case c == '*' || c == '_':
			if strings.HasPrefix(s[i:], string([]byte{c, c})) {
				delim := s[i : i+2]
				if end := strings.Index(s[i+2:], delim); end > 0 && s[i+2] != ' ' {
					flush()
					out = append(out, app.Strong().Body(renderInline(s[i+2:i+2+end])...))
					i += 2 + end + 2
					continue
				}
			} else if end := strings.IndexByte(s[i+1:], c); end > 0 && s[i+1] != ' ' && s[i+end] != ' ' && (c == '*' || wordBoundary(s, i, i+1+end)) {
				flush()
				out = append(out, app.Em().Body(renderInline(s[i+1:i+1+end])...))
				i += 1 + end + 1
				continue
			}
		case c == '[':
			if label, href, n, ok := inlineLink(s[i:]); ok {
				flush()
				if safe := safeLink(href); safe != "" {
					out = append(out, app.A().Href(safe).Rel("noopener noreferrer").Target("_blank").Body(renderInline(label)...))
				} else {
					out = append(out, app.Span().Body(renderInline(label)...))
				}
				i += n
				continue
			}
		}
		text.WriteByte(c)
		i++
	}
	flush()
	return out
}

// wordBoundary reports whether _emphasis_ between start and end stands alone (snake_case
// names are not emphasis).
func wordBoundary(s string, start, end int) bool {
	isWord := func(b byte) bool {
		return b == '_' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
	}
	return (start == 0 || !isWord(s[start-1])) && (end+1 >= len(s) || !isWord(s[end+1]))
}

// inlineLink reads [label](href) at the start of s.
func inlineLink(s string) (label, href string, n int, ok bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				if i+1 >= len(s) || s[i+1] != '(' {
					return "", "", 0, false
				}
				end := strings.IndexByte(s[i+2:], ')')
				if end < 0 {
					return "", "", 0, false
				}
				href = strings.TrimSpace(s[i+2 : i+2+end])
				if sp := strings.IndexAny(href, " \t"); sp >= 0 { // [x](url "title")
					href = href[:sp]
				}
				return s[1:i], href, i + 2 + end + 1, true
			}
		}
	}
	return "", "", 0, false
}

// safeLink returns href when it is an absolute http or https URL, else "".
func safeLink(href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}
