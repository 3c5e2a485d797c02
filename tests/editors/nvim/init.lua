-- Headless Neovim (0.7+) driving plx-lsp: the config the editor test uses, and a scripted session.
--
-- Environment:
--   PLX_LSP_CMD   JSON array: the server command (default: ["plx-lsp"])
--   PLX_NVIM_OUT  where the session writes its JSON results (PlxRun only)
--   PLX_NVIM_TIMEOUT  milliseconds to wait for each server answer (default 20000)
--
-- Use as a config:  nvim -u init.lua polyaxonfile.yaml
-- Scripted test:    nvim --headless -u init.lua polyaxonfile.yaml -c "lua PlxRun()"
-- Names session:    nvim --headless -u init.lua polyaxonfile.yaml -c "lua PlxNames()" (a DAG file)

vim.cmd("filetype on")

local cmd = { "plx-lsp" }
if vim.env.PLX_LSP_CMD and vim.env.PLX_LSP_CMD ~= "" then
  cmd = vim.fn.json_decode(vim.env.PLX_LSP_CMD)
end
local timeout = tonumber(vim.env.PLX_NVIM_TIMEOUT or "20000")

local plx_client_id = nil

local function start_plx()
  if plx_client_id == nil then
    plx_client_id = vim.lsp.start_client({
      name = "plx",
      cmd = cmd,
      root_dir = vim.fn.getcwd(),
      -- same globs the VS Code extension sends; content detection works without them
      init_options = { files = { "**/polyaxonfile*.{yaml,yml}", "**/*.plx.{yaml,yml}" } },
    })
  end
  return plx_client_id
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "yaml",
  callback = function(args)
    local id = start_plx()
    if id then
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})

-- --------------------------------------------------------------------------- scripted session
local function diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    table.insert(out, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      message = d.message, severity = d.severity, source = d.source, code = code,
    })
  end
  return out
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  for _, response in pairs(responses or {}) do
    if response.result ~= nil then
      return response.result
    end
  end
  return nil
end

local function position_params(bufnr, line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = character } }
end

local function completion_labels(result)
  local items = result and (result.items or result) or {}
  local labels = {}
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
  end
  return labels
end

local function find_line(bufnr, pattern)
  for index, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if line:find(pattern) then
      return index - 1, line
    end
  end
  return nil
end

function PlxRun()
  local results = { errors = {} }
  local ok, err = pcall(function()
    local bufnr = vim.api.nvim_get_current_buf()
    results.filetype = vim.bo[bufnr].filetype
    results.attached = vim.wait(timeout, function()
      local client = plx_client_id and vim.lsp.get_client_by_id(plx_client_id)
      return client ~= nil and client.initialized == true
    end, 20)
    local client = vim.lsp.get_client_by_id(plx_client_id)
    results.server_name = client and client.name
    results.encoding = client and client.offset_encoding

    -- 1. diagnostics pushed on open
    vim.wait(timeout, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
    results.diagnostics = diagnostics(bufnr)

    -- 2. hover on the `git` key
    local git_line = find_line(bufnr, "^%s*git:")
    local git_col = vim.api.nvim_buf_get_lines(bufnr, git_line, git_line + 1, false)[1]:find("git") - 1
    local hover = request(bufnr, "textDocument/hover", position_params(bufnr, git_line, git_col + 1))
    results.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL

    -- 3. incremental edit: drop the `artifacts` handler (2 lines); diagnostics must clear
    local artifacts_line = find_line(bufnr, "artifacts:")
    vim.api.nvim_buf_set_lines(bufnr, artifacts_line, artifacts_line + 2, false, {})
    -- the entry now starts at `git:`: make it the list item again
    local new_git_line, text = find_line(bufnr, "^%s*git:")
    local indent = text:match("^(%s*)")
    vim.api.nvim_buf_set_lines(bufnr, new_git_line, new_git_line + 1, false,
      { indent:sub(1, #indent - 2) .. "- git:" })
    results.cleared = vim.wait(timeout, function() return #vim.diagnostic.get(bufnr) == 0 end, 20)
    results.after_edit = diagnostics(bufnr)

    -- 4. completion in an empty entry `- ` typed below, while the file is broken elsewhere
    local last = vim.api.nvim_buf_line_count(bufnr)
    vim.api.nvim_buf_set_lines(bufnr, last, last, false, { "    image: \"unclosed" })
    local entry_line = new_git_line + 3 -- after `connection: repo2`
    vim.api.nvim_buf_set_lines(bufnr, entry_line, entry_line, false, { indent:sub(1, #indent - 2) .. "- " })
    local entry_text = vim.api.nvim_buf_get_lines(bufnr, entry_line, entry_line + 1, false)[1]
    local completion = request(bufnr, "textDocument/completion", position_params(bufnr, entry_line, #entry_text))
    results.completion = completion_labels(completion)

    -- 5. flow style: keys inside `{` of a handler and hover on a flow key, on a line typed below
    local flow_line = entry_line + 1
    local flow_text = indent:sub(1, #indent - 2) .. "- git: {url: x, }"
    vim.api.nvim_buf_set_lines(bufnr, flow_line, flow_line, false, { flow_text })
    local flow = request(bufnr, "textDocument/completion", position_params(bufnr, flow_line, #flow_text - 1))
    results.flow_completion = completion_labels(flow)
    local flow_hover = request(bufnr, "textDocument/hover", position_params(bufnr, flow_line, flow_text:find("url")))
    results.flow_hover = flow_hover and flow_hover.contents and (flow_hover.contents.value or vim.NIL) or vim.NIL
    results.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  end)
  if not ok then
    table.insert(results.errors, tostring(err))
  end
  local out = vim.env.PLX_NVIM_OUT or "plx-nvim-results.json"
  vim.fn.writefile({ vim.fn.json_encode(results) }, out)
  vim.cmd("qa!")
end

-- --------------------------------------------------------------------------- names session
local function range_of(location)
  local r = location.range or location.targetSelectionRange
  return { r.start.line, r.start.character, r["end"].line, r["end"].character }
end

local function locations(result)
  local out = {}
  if result == nil then
    return out
  end
  if result.uri or result.targetUri then
    result = { result }
  end
  for _, location in ipairs(result) do
    table.insert(out, range_of(location))
  end
  return out
end

-- Definition, references, rename (through Neovim's own rename, which applies the edit) and
-- completion inside a template, on a DAG whose names are declared in its nodes.
function PlxNames()
  local results = { errors = {} }
  local ok, err = pcall(function()
    local bufnr = vim.api.nvim_get_current_buf()
    results.attached = vim.wait(timeout, function()
      local client = plx_client_id and vim.lsp.get_client_by_id(plx_client_id)
      return client ~= nil and client.initialized == true
    end, 20)

    local args_line, args = find_line(bufnr, "args:")
    local lr_col = args:find("{{ lr }}", 1, true) + 2 -- 0-based column of `lr`
    results.definition = locations(request(bufnr, "textDocument/definition", position_params(bufnr, args_line, lr_col + 1)))

    local prepare_line, prepare = find_line(bufnr, "name: prepare")
    local params = position_params(bufnr, prepare_line, prepare:find("prepare", 1, true))
    params.context = { includeDeclaration = true }
    results.references = locations(request(bufnr, "textDocument/references", params))

    local tokens = request(bufnr, "textDocument/semanticTokens/full", { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
    results.semantic_tokens = tokens and tokens.data or vim.NIL

    vim.api.nvim_win_set_cursor(0, { prepare_line + 1, (prepare:find("prepare", 1, true)) })
    vim.lsp.buf.rename("clean")
    results.renamed = vim.wait(timeout, function() return find_line(bufnr, "dependencies: %[clean%]") ~= nil end, 20)

    local typed = "              command: [\"{{ params."
    vim.api.nvim_buf_set_lines(bufnr, args_line, args_line + 1, false, { typed })
    local completion = request(bufnr, "textDocument/completion", position_params(bufnr, args_line, #typed))
    results.template_completion = completion_labels(completion)
    results.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  end)
  if not ok then
    table.insert(results.errors, tostring(err))
  end
  local out = vim.env.PLX_NVIM_OUT or "plx-nvim-results.json"
  vim.fn.writefile({ vim.fn.json_encode(results) }, out)
  vim.cmd("qa!")
end
