/**
 * CDK app: loads the config named by context `okta-flow:config` (cdk.json points at the example; override with
 * `-c okta-flow:config=path`), validates it (a bad config fails synth with the ConfigError message), creates the
 * stack and gates synth on cdk-nag's AwsSolutions pack.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfig } from '../lambdas/flow/config/index.js';
import { OktaFlowStack } from '../lib/okta-flow-stack.js';

const app = new App();
const configPath = app.node.tryGetContext('okta-flow:config');
if (typeof configPath !== 'string' || configPath === '') {
  throw new Error('No okta-flow config: set context okta-flow:config in cdk.json or pass -c okta-flow:config=<path>.');
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(configPath);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

new OktaFlowStack(app, config.stack.name, { config });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
