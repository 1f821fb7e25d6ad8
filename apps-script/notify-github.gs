/**
 * signsync: start the site repository's sync within a minute of each form response.
 *
 * Google Forms runs this on every submission (an installable "On form submit" trigger) and it
 * asks GitHub to run the signsync workflow (a `repository_dispatch` event of type
 * "signsync-response"). The workflow still runs hourly on its own: if this script stops (a
 * revoked token, a quota), nothing is lost, responses only wait for the next hourly run.
 * Nothing of the response is sent: no name, no email address, only "something arrived".
 *
 * Set-up (docs/setup.md, "Minutes, not hours"):
 *  1. In the form: More (three dots) > Script editor (or Extensions > Apps Script on the
 *     response sheet). Replace the editor's contents with this file. Save.
 *  2. Project Settings (gear) > Script Properties > Add script property, twice:
 *       GITHUB_REPOSITORY = owner/site-repository   (the repository holding signsync.toml)
 *       GITHUB_TOKEN      = a fine-grained personal access token limited to that repository,
 *                           with "Contents: Read and write" (what repository_dispatch needs)
 *  3. Run > Run function > installTrigger (once). Google asks to authorise "connect to an
 *     external service" and "run when you are not present": allow.
 *  4. Send a test response: the workflow's run list on GitHub shows a "repository_dispatch" run.
 *     `testDispatch` sends the same request without a response.
 */

var EVENT_TYPE = 'signsync-response';

function installTrigger() {
  var form = FormApp.getActiveForm();
  var handler = 'onFormSubmitDispatch';
  var existing = ScriptApp.getProjectTriggers().filter(function (t) {
    return t.getHandlerFunction() === handler;
  });
  if (existing.length === 0) {
    if (form) {
      ScriptApp.newTrigger(handler).forForm(form).onFormSubmit().create();
    } else {
      ScriptApp.newTrigger(handler).forSpreadsheet(SpreadsheetApp.getActive()).onFormSubmit().create();
    }
  }
  Logger.log('signsync: the trigger is installed; each response now starts the workflow.');
}

function onFormSubmitDispatch(e) {
  dispatch_('form submit');
}

function testDispatch() {
  dispatch_('test from the script editor');
}

function dispatch_(why) {
  var props = PropertiesService.getScriptProperties();
  var repository = props.getProperty('GITHUB_REPOSITORY');
  var token = props.getProperty('GITHUB_TOKEN');
  if (!repository || !token) {
    throw new Error('signsync: set GITHUB_REPOSITORY and GITHUB_TOKEN in Project Settings > Script Properties');
  }
  var response = UrlFetchApp.fetch('https://api.github.com/repos/' + repository + '/dispatches', {
    method: 'post',
    contentType: 'application/json',
    headers: {
      Authorization: 'Bearer ' + token,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28'
    },
    payload: JSON.stringify({ event_type: EVENT_TYPE, client_payload: { why: why } }),
    muteHttpExceptions: true
  });
  var code = response.getResponseCode();
  if (code !== 204) {
    // 404: wrong repository name, or a token without access to it; 401: the token expired.
    throw new Error('signsync: GitHub answered ' + code + ' to the dispatch: ' + response.getContentText().slice(0, 300));
  }
}
