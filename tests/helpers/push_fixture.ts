/** The exposition the push tests send: two series of one gauge. */
export const BODY = `# HELP tag_compliant_total Resources compliant with required tag
# TYPE tag_compliant_total gauge
tag_compliant_total{account_id="123456789012",region="us-east-1",tag="owner"} 5
tag_compliant_total{account_id="123456789012",region="eu-west-1",tag="owner"} 7
`;
